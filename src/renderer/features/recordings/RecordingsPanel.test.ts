// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '../../i18n'
import { useDeskStore } from '../../stores/desk'
import type { RecordingSummary } from '../../../shared/ipc/services/recordings'
import type { AppState } from '../../../shared/ipc/state'

const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value })
const base: RecordingSummary = {
  id: 'r1',
  source: 'local',
  callId: 'c1',
  direction: 'inbound',
  remoteNumber: '13907751234',
  agent: 'agent01',
  startedAt: Date.UTC(2026, 10, 30, 1, 2, 3),
  endedAt: null,
  durationMs: 95_000,
  bytes: 370_000,
  status: 'uploaded',
  problem: null,
  platformRecordingId: 5,
  ticketId: 9,
  ticketNumber: 'YL20261130000009',
  local: true,
  leg: 'call',
  parentId: null
}
const items: RecordingSummary[] = [
  base,
  // The consultation with seat 2002 while the citizen held: under the call, same ticket.
  { ...base, id: 'r1c', callId: 'c1-consult', remoteNumber: '2002', leg: 'consult', parentId: 'r1', platformRecordingId: 6 },
  { ...base, id: 'r2', callId: 'c2', status: 'recording', durationMs: null, platformRecordingId: null, ticketId: null, ticketNumber: null },
  { ...base, id: 'r3', callId: 'c3', status: 'rejected', problem: '平台拒收录音：格式不支持，录音保留在本机', platformRecordingId: null },
  { ...base, id: 'p-7', source: 'platform', callId: 'platform:7', bytes: null, platformRecordingId: 7, ticketNumber: null, local: false }
]
const audio = vi.fn((_args: { id: string; offset: number; length: number }) => ok({ contentType: 'audio/webm', data: btoa('\x1a\x45\xdf\xa3'), offset: 0, bytes: 4, total: 4, durationMs: 1000 }))
vi.mock('../../services/bridge', () => ({
  transport: {},
  desk: {
    recordings: {
      list: () => ok({ items, platformUnavailable: true }),
      settings: () => ok({ enabled: true, retentionDays: 30 }),
      audio: (args: { id: string; offset: number; length: number }) => audio(args),
      remove: () => ok(null)
    }
  }
}))

const RecordingsPanel = (await import('./RecordingsPanel.vue')).default

function signedInAs(roles: string[]) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useDeskStore().state = { session: { user: { username: 'u', displayName: 'U', roles, seatId: null } }, phone: { calls: [] } } as unknown as AppState
  return pinia
}
beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:test')
  URL.revokeObjectURL = vi.fn()
})
afterEach(() => document.body.replaceChildren())

describe('RecordingsPanel', () => {
  it('lists recordings with ticket, length, size, status and reason; plays a finished one into the player; no delete for a team lead', async () => {
    const w = mount(RecordingsPanel, { global: { plugins: [signedInAs(['team_lead']), i18n] }, attachTo: document.body })
    await flushPromises()
    const text = w.find('[data-testid="recordings-table"]').text()
    expect(text).toContain('YL20261130000009')
    expect(text).toContain('1:35')
    expect(text).toContain('361 KB')
    expect(text).toContain('录音中')
    expect(text).toContain('上传被拒')
    expect(text).toContain('平台拒收录音：格式不支持')
    expect(text).toContain('平台')
    expect(w.find('[data-testid="recordings-platform-unavailable"]').exists()).toBe(true)
    const rows = w.findAll('.el-table__body tr')
    expect(rows).toHaveLength(5)
    const playOf = (i: number) => rows[i]!.findAll('button').find((b) => b.text() === '播放')!
    expect(rows[1]!.find('[data-testid="recording-consult-leg"]').text()).toContain('咨询')
    expect(rows[1]!.text()).toContain('YL20261130000009')
    expect(rows[0]!.find('[data-testid="recording-consult-leg"]').exists()).toBe(false)
    // Still recording: not playable yet.
    expect(playOf(2).attributes('disabled')).toBeDefined()
    expect(w.findAll('button').some((b) => b.text() === '删除')).toBe(false)
    await playOf(4).trigger('click')
    await flushPromises()
    // The first (here the only) byte range; without MediaSource (happy-dom) the ranges become one Blob.
    expect(audio).toHaveBeenCalledWith({ id: 'p-7', offset: 0, length: 1024 * 1024 })
    expect(w.find('audio[data-testid="recording-player"]').attributes('src')).toBe('blob:test')
    w.unmount()
  })

  it('offers 删除 to an admin', async () => {
    const w = mount(RecordingsPanel, { global: { plugins: [signedInAs(['admin']), i18n] }, attachTo: document.body })
    await flushPromises()
    expect(w.findAll('button').filter((b) => b.text() === '删除')).toHaveLength(5)
    w.unmount()
  })
})
