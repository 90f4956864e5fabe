// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '../../i18n'
import { useIntakeStore } from '../../stores/intake'

const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value })
const article = {
  id: 7,
  title: '被拖欠工资如何维权',
  categoryId: null,
  departmentId: 'rsj',
  body: '携带证据到劳动保障监察机构投诉。<img src=x onerror="window.__xss=1">',
  keywords: [],
  version: 2,
  status: 'published',
  source: 'test',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'admin01',
  versions: [
    { version: 2, title: '被拖欠工资如何维权', body: '新', updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'admin01' },
    { version: 1, title: '被拖欠工资如何维权', body: '旧', updatedAt: '2025-01-01T00:00:00.000Z', updatedBy: 'admin01' }
  ]
}
const search = vi.fn((args: { q: string }) => ok({ items: args.q.includes('工资') ? [{ id: 7, title: article.title, categoryId: null, departmentId: 'rsj', snippet: '携带证据…', version: 2, score: 1 }] : [] }))
type Status = { articles: number; syncedAt: number | null; syncing: boolean; error: string | null }
const synced: Status = { articles: 1, syncedAt: 1, syncing: false, error: null }
const status = vi.fn((): Promise<{ ok: true; value: Status }> => ok(synced))
const categories = vi.fn(() => ok({ items: [] }))
vi.mock('../../services/bridge', () => ({
  transport: {},
  desk: {
    knowledge: {
      status: () => status(),
      categories: () => categories(),
      yellowPages: () => ok({ items: [{ departmentId: 'rsj', name: '市人社局', phone: '0775-1', address: '玉林', officeHours: '工作日' }] }),
      search: (args: { q: string }) => search(args),
      article: () => ok(article)
    }
  }
}))

const KnowledgePanel = (await import('./KnowledgePanel.vue')).default

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => document.body.replaceChildren())

describe('KnowledgePanel', () => {
  it('searches as the agent types and cites the article with its version into the reply, as text', async () => {
    vi.useFakeTimers()
    const w = mount(KnowledgePanel, { global: { plugins: [i18n] }, attachTo: document.body })
    await flushPromises()
    await w.find('input[data-testid="kb-search"]').setValue('拖欠工资')
    await vi.advanceTimersByTimeAsync(200)
    await flushPromises()
    expect(search).toHaveBeenLastCalledWith(expect.objectContaining({ q: '拖欠工资' }))
    expect(w.find('[data-testid="kb-hits"]').text()).toContain('被拖欠工资如何维权')
    await w.find('.kb-hit-title').trigger('click')
    await flushPromises()
    const preview = w.find('[data-testid="kb-article"]')
    expect(preview.text()).toContain('第 2 版')
    // An article body is text: its markup is shown, never made into elements.
    expect(preview.find('img').exists()).toBe(false)
    expect(preview.text()).toContain('<img src=x')
    await w.find('[data-testid="kb-cite"]').trigger('click')
    const intake = useIntakeStore()
    expect(intake.reply).toBe(article.body)
    expect(intake.citations).toEqual([{ articleId: '7', version: 2, title: '被拖欠工资如何维权' }])
    expect(w.find('[data-testid="kb-cited"]').text()).toContain('被拖欠工资如何维权（第 2 版）')
    vi.useRealTimers()
    w.unmount()
  })

  it('follows a sync that main runs on its own: 同步 spins while it runs and comes back when it is done', async () => {
    vi.useFakeTimers()
    // Mounted mid-sync (the sign-in sync, slow under load): the first status read says syncing.
    status.mockImplementationOnce(() => ok({ articles: 39, syncedAt: null, syncing: true, error: null }))
    status.mockImplementationOnce(() => ok({ articles: 39, syncedAt: null, syncing: true, error: null }))
    const w = mount(KnowledgePanel, { global: { plugins: [i18n] }, attachTo: document.body })
    await flushPromises()
    const button = () => w.find('[data-testid="kb-status"] button')
    expect(button().attributes('disabled')).toBeDefined()
    await vi.advanceTimersByTimeAsync(1000)
    expect(button().attributes('disabled')).toBeDefined()
    categories.mockClear()
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(button().attributes('disabled')).toBeUndefined()
    expect(w.find('[data-testid="kb-status"]').text()).toContain('本地索引 1 条')
    // The category tree as the sync left it.
    expect(categories).toHaveBeenCalled()
    // Done: no more status reads.
    const reads = status.mock.calls.length
    await vi.advanceTimersByTimeAsync(5000)
    expect(status.mock.calls.length).toBe(reads)
    vi.useRealTimers()
    w.unmount()
  })
})
