import type { FeatureContext } from '../features/feature'

/**
 * Keeps the local knowledge index in step with the platform: the category tree,
 * yellow pages and reply templates replaced whole (small), articles fetched
 * incrementally (`updatedSince` the newest change held, paged). Runs at sign-in,
 * when the platform pushes `knowledge.updated`, and on a timer; a failure leaves
 * the index as it was (search keeps working offline) and is reported in status.
 */
export interface IndexStatus {
  articles: number
  syncedAt: number | null
  syncing: boolean
  error: string | null
}

const CURSOR_KEY = 'kb.articlesUpdatedSince'
const PAGE = 200

export class KnowledgeIndexSync {
  private running: Promise<IndexStatus> | null = null
  private again = false
  private syncedAt: number | null = null
  private error: string | null = null

  constructor(private readonly ctx: Pick<FeatureContext, 'db' | 'platform' | 'log'>) {}

  async status(): Promise<IndexStatus> {
    return { articles: await this.ctx.db.call('kb.count', undefined as never), syncedAt: this.syncedAt, syncing: this.running !== null, error: this.error }
  }

  /** One sync at a time; a request while one runs makes it go round once more (a push may have come mid-page). */
  sync(): Promise<IndexStatus> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      try {
        do {
          this.again = false
          await this.pull()
        } while (this.again)
        this.syncedAt = Date.now()
        this.error = null
      } catch (err) {
        this.error = (err as Error).message
        this.ctx.log.warn('knowledge: sync failed, the local index answers from what it holds', { error: this.error })
      } finally {
        this.running = null
      }
      return this.status()
    })()
    return this.running
  }

  private async pull(): Promise<void> {
    const { db, platform } = this.ctx
    const [categories, yellow, templates] = await Promise.all([platform.call('listCategories'), platform.call('listYellowPages'), platform.call('listReplyTemplates')])
    await db.call('kb.replaceCategories', { items: categories.items })
    await db.call('kb.replaceYellowPages', { items: yellow.items })
    await db.call('kb.replaceTemplates', { items: templates.items })
    const since = (await db.call('meta.get', { key: CURSOR_KEY })) ?? undefined
    let cursor: string | undefined
    let newest = since
    do {
      const page = await platform.call('listArticles', { query: { limit: PAGE, cursor, updatedSince: since } })
      if (page.items.length) await db.call('kb.upsertArticles', { items: page.items })
      for (const a of page.items) if (!newest || a.updatedAt > newest) newest = a.updatedAt
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    // Saved after every page is in: a sync cut short starts again from the last complete one.
    if (newest && newest !== since) await db.call('meta.set', { key: CURSOR_KEY, value: newest })
  }
}
