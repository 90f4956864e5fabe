import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createDraftAutosave, type SaveArgs } from './draft-autosave'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('draft autosave', () => {
  it('saves within the delay while typing goes on, one save in flight, newest text and rising revisions', async () => {
    let text = ''
    const saves: SaveArgs[] = []
    let release: (() => void) | null = null
    const autosave = createDraftAutosave({
      current: () => ({ id: 'd', callId: null, rev: 0, fields: { content: text } }),
      save: (a) => {
        saves.push(a)
        return new Promise((resolve) => (release = () => resolve({ ok: true, value: { status: 'saved', savedAt: 1 } })))
      },
      delayMs: 100,
      now: () => 1000
    })
    for (const ch of '市民反映') {
      text += ch
      autosave.changed()
      await vi.advanceTimersByTimeAsync(40)
    }
    // The first save left 100 ms after the first keystroke, not after the last.
    expect(saves.map((s) => s.fields.content)).toEqual(['市民反'])
    text += '路灯'
    autosave.changed()
    await vi.advanceTimersByTimeAsync(500)
    expect(saves).toHaveLength(1)
    release!()
    await vi.advanceTimersByTimeAsync(1)
    expect(saves.map((s) => s.fields.content)).toEqual(['市民反', '市民反映路灯'])
    expect(saves[1]!.rev).toBeGreaterThan(saves[0]!.rev)
    release!()
    await vi.advanceTimersByTimeAsync(1)
    expect(autosave.state.value).toBe('saved')
  })

  it('keeps retrying after a failed save, losing nothing', async () => {
    let fail = true
    const saves: string[] = []
    const autosave = createDraftAutosave({
      current: () => ({ id: 'd', callId: null, rev: 0, fields: { content: '内容' } }),
      save: async (a) => {
        saves.push(String(a.fields.content))
        return fail ? { ok: false, error: { code: 'unavailable', message: '核心不可用', messageEn: 'down' } } : { ok: true, value: { status: 'saved', savedAt: 2 } }
      }
    })
    autosave.changed()
    await vi.advanceTimersByTimeAsync(150)
    expect(autosave.state.value).toBe('failed')
    fail = false
    await vi.advanceTimersByTimeAsync(1100)
    expect(autosave.state.value).toBe('saved')
    expect(saves).toEqual(['内容', '内容'])
  })

  it('continues after a loaded draft revision', async () => {
    const revs: number[] = []
    const autosave = createDraftAutosave({
      current: () => ({ id: 'd', callId: null, rev: 0, fields: {} }),
      save: async (a) => {
        revs.push(a.rev)
        return { ok: true, value: { status: 'saved', savedAt: 1 } }
      },
      now: () => 10
    })
    autosave.loaded(5_000)
    autosave.changed()
    await vi.advanceTimersByTimeAsync(150)
    expect(revs).toEqual([5_001])
  })
})
