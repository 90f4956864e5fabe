// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '../../i18n'
import IntakeForm from './IntakeForm.vue'
import ScreenPop from './ScreenPop.vue'
import WorkList from './WorkList.vue'
import WatermarkLayer from './WatermarkLayer.vue'
import { useIntakeStore } from '../../stores/intake'
import type { CallerView, IntakeReference, WorkRow } from '../../../shared/ipc/services/workbench'

vi.mock('../../services/bridge', () => ({ desk: {}, transport: {} }))

const reference: IntakeReference = {
  areas: [{ name: '玉州区', towns: [{ name: '名山街道', kind: '街道' }] }],
  categories: [
    { id: '01', parentId: null, level: 1, name: '城市管理', defaultDepartmentId: null },
    { id: '01.01', parentId: '01', level: 2, name: '环境秩序', defaultDepartmentId: null },
    { id: '01.01.01', parentId: '01.01', level: 3, name: '噪音扰民', defaultDepartmentId: 'd1' }
  ],
  departments: [
    { id: 'd1', name: '市生态环境局' },
    { id: 'd2', name: '市公安局' }
  ]
}

let pinia: ReturnType<typeof createPinia>
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => document.body.replaceChildren())

describe('IntakeForm', () => {
  it('labels every R2 field in Chinese and binds the intake store', async () => {
    const w = mount(IntakeForm, { props: { reference, errors: {}, busy: false, saveText: '草稿已保存' }, global: { plugins: [pinia, i18n] }, attachTo: document.body })
    const labels = w.findAll('.el-form-item__label').map((l) => l.text())
    for (const l of ['来电号码', '联系人', '诉求类型', '归口分类', '诉求内容', '所属区域', '详细地址', '紧急程度', '办理方式', '主办单位', '协办单位（协同）']) expect(labels).toContain(l)
    const content = w.find('textarea[name="content"]')
    const text = "市民反映 <script>alert(1)</script> '; DROP TABLE x; -- 𠀀㐀𪚥😀"
    await content.setValue(text)
    expect(useIntakeStore().content).toBe(text)
    expect(w.find('[data-testid="content-count"]').text()).toBe(String(text.length))
    // Shown as text only: no element was created from what was typed.
    expect(w.find('script').exists()).toBe(false)
    w.unmount()
  })

  it('holds back the model while an IME composition is open, then takes the committed text', async () => {
    const w = mount(IntakeForm, { props: { reference, errors: {}, busy: false, saveText: '' }, global: { plugins: [pinia, i18n] }, attachTo: document.body })
    const el = w.find('textarea[name="content"]')
    const store = useIntakeStore()
    await el.trigger('compositionstart')
    ;(el.element as HTMLTextAreaElement).value = 'shi'
    await el.trigger('input')
    expect(store.content).toBe('')
    ;(el.element as HTMLTextAreaElement).value = '市'
    await el.trigger('compositionend')
    await el.trigger('input')
    expect(store.content).toBe('市')
    w.unmount()
  })

  it('shows the field errors it is given, next to the field', async () => {
    const w = mount(IntakeForm, {
      props: { reference, errors: { content: '诉求内容至少 5 个字', leadDepartment: '交办部门必须选择主办单位' }, busy: false, saveText: '' },
      global: { plugins: [pinia, i18n], stubs: { transition: false, 'transition-group': false } }
    })
    await flushPromises()
    // The form items in error are exactly the two named (the message itself animates in, which happy-dom does not run).
    const inError = w.findAll('.el-form-item.is-error').map((e) => e.find('.el-form-item__label').text())
    expect(inError).toEqual(['诉求内容', '主办单位'])
    w.unmount()
  })
})

const view = (over: Partial<CallerView> = {}): CallerView => ({
  phone: '139****1234',
  masked: true,
  source: 'cache',
  refreshedAt: 1,
  tickets: [],
  calls: [],
  totals: { tickets: 3, openTickets: 1, calls: 4 },
  flags: { repeatCaller: true, callsLast30Days: 3, hasOpenTicket: true, malicious: true, maliciousReason: '辱骂话务员' },
  areaGuess: { district: '玉州区', town: '名山街道' },
  ...over
})

describe('ScreenPop', () => {
  it('shows the cache at once, then the platform copy, with the masked number and every flag', async () => {
    const calls: string[] = []
    let releasePlatform: (v: CallerView) => void = () => {}
    const lookup = (_phone: string, source: 'cache' | 'platform') => {
      calls.push(source)
      return source === 'cache' ? Promise.resolve(view()) : new Promise<CallerView>((r) => (releasePlatform = r))
    }
    const w = mount(ScreenPop, { props: { phone: '13907751234', ringing: true, lookup }, global: { plugins: [pinia, i18n] } })
    await new Promise((r) => setTimeout(r, 5))
    await flushPromises()
    expect(w.find('[data-testid="screen-pop-number"]').text()).toContain('139****1234')
    expect(w.find('[data-testid="screen-pop-source"]').text()).toBe('本地缓存')
    const flags = w.find('[data-testid="screen-pop-flags"]').text()
    for (const f of ['恶意号码：辱骂话务员', '重复来电（30天内 3 次）', '未办结工单 1 件', '玉州区 名山街道']) expect(flags).toContain(f)
    releasePlatform(view({ source: 'platform', flags: { ...view().flags, malicious: false } }))
    await flushPromises()
    expect(w.find('[data-testid="screen-pop-source"]').text()).toBe('平台最新')
    expect(w.find('[data-testid="screen-pop-flags"]').text()).not.toContain('恶意号码')
    expect(calls).toEqual(['cache', 'platform'])
  })
  it('dates past calls and tickets in the desk’s own time, not the platform’s UTC', async () => {
    const zone = process.env.TZ
    process.env.TZ = 'Asia/Shanghai'
    try {
      const ticket = { id: 7, number: 'YL20261208000007', status: 'accepted', version: 1, type: 'consult', categoryId: null, title: '路灯不亮', area: null, urgency: 'normal', channel: 'phone', deadline: null, createdAt: '2026-12-07T16:30:00.000Z', updatedAt: '2026-12-07T16:30:00.000Z' }
      const call = { id: 3, direction: 'inbound', dialledNumber: '12345', queue: null, agentId: null, status: 'ended', queuedAt: '2026-12-07T17:30:00.000Z', answeredAt: null, endedAt: null, result: 'answered', recordingId: null, satisfaction: null, ticketId: null }
      const w = mount(ScreenPop, { props: { phone: '13907751234', ringing: true, lookup: async () => view({ tickets: [ticket] as never, calls: [call] as never }) }, global: { plugins: [pinia, i18n] } })
      await new Promise((r) => setTimeout(r, 5))
      await flushPromises()
      expect(w.find('.screen-pop-calls').text()).toContain('2026-12-08 01:30')
      expect(w.find('[data-testid="screen-pop-tickets"]').text()).toContain('2026-12-08')
      w.unmount()
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })
})

describe('WorkList', () => {
  it('renders only the visible rows of thousands, with red and yellow marks', async () => {
    const rows: WorkRow[] = Array.from({ length: 5000 }, (_, i) => ({
      key: `t${i}`,
      kind: 'ticket',
      ticketId: i + 1,
      draftId: null,
      number: `YL${i}`,
      title: `工单 ${i}`,
      status: 'dispatched',
      channel: i % 2 ? 'wechat' : 'phone',
      urgency: 'normal',
      deadline: null,
      at: 0,
      mark: i === 0 ? 'red' : i === 1 ? 'yellow' : null
    }))
    // happy-dom lays nothing out: give the auto-resizer a size.
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(500)
    vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockReturnValue(1200)
    const w = mount(WorkList, { props: { lists: { mine: rows, drafts: [], channels: [], overdue: [], offline: false }, loading: false }, global: { plugins: [pinia, i18n] }, attachTo: document.body })
    await flushPromises()
    await new Promise((r) => setTimeout(r, 20))
    const rendered = w.findAll('.el-table-v2__row').length
    expect(rendered).toBeGreaterThan(0)
    expect(rendered).toBeLessThan(60)
    expect(w.find('[data-mark="red"]').exists()).toBe(true)
    expect(w.find('[data-mark="yellow"]').exists()).toBe(true)
    expect(w.text()).toContain('我的工单 (5000)')
    w.unmount()
  })
})

describe('WatermarkLayer', () => {
  it('carries seat, account and time and never takes a click', () => {
    const w = mount(WatermarkLayer, { props: { seatId: 'seat-01', username: 'agent01' } })
    expect(w.attributes('data-text')).toMatch(/^seat-01 agent01 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    expect(w.attributes('aria-hidden')).toBe('true')
  })
})
