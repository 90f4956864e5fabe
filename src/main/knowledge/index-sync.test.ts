import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DbClient } from '../db/client'
import { createMemoryLogger } from '../logging'
import { KnowledgeIndexSync } from './index-sync'
import type { FeatureContext } from '../features/feature'
import type { Article } from '../../shared/api'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-kbsync-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const art = (id: number, title: string, body: string, updatedAt: string, version = 1): Article => ({
  id,
  title,
  body,
  categoryId: null,
  keywords: [],
  version,
  status: 'published',
  source: 'test',
  updatedAt,
  updatedBy: 'admin01'
})

/** A stand-in for the platform client (a fast test of the sync logic; the e2e runs the real platform). */
function fakePlatform(articles: Article[]) {
  const calls: { op: string; request: unknown }[] = []
  let down = false
  // Set, the next listArticles reads its rows, says so, and answers them only when released.
  let hold: { read: () => void; released: Promise<void> } | null = null
  const platform = {
    setDown: (v: boolean) => (down = v),
    holdNextPage() {
      let read!: () => void
      let release!: () => void
      const reached = new Promise<void>((r) => (read = r))
      hold = { read, released: new Promise<void>((r) => (release = r)) }
      return { reached, release }
    },
    calls,
    async call(op: string, request: { query?: { updatedSince?: string; cursor?: string } } = {}): Promise<unknown> {
      calls.push({ op, request })
      if (down) throw new Error('connect ECONNREFUSED 127.0.0.1')
      if (op === 'listCategories' || op === 'listYellowPages' || op === 'listReplyTemplates') return { items: [] }
      if (op === 'listArticles') {
        const since = request.query?.updatedSince ?? ''
        const start = Number(request.query?.cursor ?? 0)
        const all = articles.filter((a) => a.updatedAt > since)
        const page = all.slice(start, start + 200)
        if (hold) {
          const { read, released } = hold
          hold = null
          read()
          await released
        }
        return { items: page, nextCursor: start + 200 < all.length ? String(start + 200) : null }
      }
      throw new Error(`unexpected ${op}`)
    }
  }
  return platform
}

describe('KnowledgeIndexSync', () => {
  it('pulls every page, then only what changed; offline it keeps answering from the local index', async () => {
    const { client: db } = await DbClient.open(path.join(dir, 'a.sqlite'))
    const articles = Array.from({ length: 450 }, (_, i) => art(i + 1, `第${i + 1}条 停车收费`, '小区停车收费标准公示。', `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')}Z`))
    const platform = fakePlatform(articles)
    const sync = new KnowledgeIndexSync({ db, platform: platform as unknown as FeatureContext['platform'], log: createMemoryLogger() })
    expect((await sync.sync()).articles).toBe(450)

    articles.push(art(451, '公积金提取', '住房公积金提取材料。', '2026-02-01T00:00:00.000Z'))
    platform.calls.length = 0
    expect((await sync.sync()).articles).toBe(451)
    const since = platform.calls.find((c) => c.op === 'listArticles')!.request as { query: { updatedSince: string } }
    expect(since.query.updatedSince).toBe('2026-01-01T00:00:59.419Z')

    platform.setDown(true)
    const status = await sync.sync()
    expect(status.error).toMatch(/ECONNREFUSED/)
    expect(status.articles).toBe(451)
    expect((await db.call('kb.search', { q: '公积金', limit: 5 }))[0]!.id).toBe(451)
    await db.close()
  })

  it('goes round again for a change committed while a page was on its way: the newer version is held, the cursor skips nothing', async () => {
    const { client: db } = await DbClient.open(path.join(dir, 'c.sqlite'))
    const articles = [art(1, '被拖欠工资如何维权', '劳动保障监察投诉。', '2026-03-01T08:00:00.000Z'), art(2, '停水通知', '停水。', '2026-03-01T08:00:00.001Z')]
    const platform = fakePlatform(articles)
    const sync = new KnowledgeIndexSync({ db, platform: platform as unknown as FeatureContext['platform'], log: createMemoryLogger() })
    await sync.sync()
    // A revision, its push starts a sync; the page it reads is answered late, and a further revision is committed meanwhile.
    articles[0] = art(1, '被拖欠工资如何维权', '劳动保障监察投诉（修订）。', '2026-03-01T09:00:00.000Z', 2)
    const page = platform.holdNextPage()
    const pushed = sync.sync()
    await page.reached
    articles[0] = art(1, '被拖欠工资如何维权（2026）', '劳动保障监察投诉（修订）。', '2026-03-01T09:00:00.005Z', 3)
    // The agent's 同步 while that sync is under way answers only once the later revision is in.
    const clicked = sync.sync()
    page.release()
    const [a, b] = await Promise.all([pushed, clicked])
    expect(a).toEqual(b)
    expect(await db.call('kb.article', { id: 1 })).toMatchObject({ version: 3, title: '被拖欠工资如何维权（2026）' })
    expect((await db.call('kb.search', { q: '拖欠工资', limit: 5 })).map((h) => [h.title, h.version])).toEqual([['被拖欠工资如何维权（2026）', 3]])
    expect(await db.call('meta.get', { key: 'kb.articlesUpdatedSince' })).toBe('2026-03-01T09:00:00.005Z')
    // An older copy arriving late (a slow page of an earlier sync) does not take the article back.
    await db.call('kb.upsertArticles', { items: [art(1, '被拖欠工资如何维权', '劳动保障监察投诉（修订）。', '2026-03-01T09:00:00.000Z', 2)] })
    expect(await db.call('kb.article', { id: 1 })).toMatchObject({ version: 3, title: '被拖欠工资如何维权（2026）' })
    await db.close()
  })
})
