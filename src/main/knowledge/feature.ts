import type { Feature, FeatureContext } from '../features/feature'
import { normaliseText } from '../../shared/knowledge'
import { DomainError } from '../ipc/dispatcher'
import { KnowledgeIndexSync } from './index-sync'

const RESYNC_MS = 5 * 60_000

/** Text filter for the small lists (yellow pages, templates, notes): every space-separated part must occur. */
function matches(q: string, ...fields: string[]): boolean {
  const parts = normaliseText(q).split(/\s+/).filter(Boolean)
  if (!parts.length) return true
  const hay = normaliseText(fields.join('\n'))
  return parts.every((p) => hay.includes(p))
}

/** Builds the knowledge feature's services (see shared/ipc/services/knowledge.ts). */
export async function createKnowledgeFeature(ctx: FeatureContext): Promise<Feature<'knowledge'>> {
  const { db, cipher } = ctx
  const index = new KnowledgeIndexSync(ctx)
  const signedIn = () => ctx.hub.get('session').user !== null
  const unsubscribe = [
    ctx.hub.onChange((change) => {
      if (change.topic === 'session' && signedIn()) void index.sync()
    }),
    ctx.onPlatformEvent((event) => {
      if (event.type === 'knowledge.updated') void index.sync()
    })
  ]
  const timer = setInterval(() => {
    if (signedIn()) void index.sync()
  }, RESYNC_MS)
  timer.unref?.()

  const openNote = (n: { id: number; sealed: string; updatedAt: number }) => {
    const { title, body } = JSON.parse(cipher.decryptText(n.sealed)) as { title: string; body: string }
    return { id: n.id, title, body, updatedAt: n.updatedAt }
  }

  return {
    handlers: {
      knowledge: {
        search: async (args) => ({ items: args.q.trim() ? await db.call('kb.search', { q: args.q, categoryId: args.categoryId, departmentId: args.departmentId, limit: args.limit }) : [] }),
        article: async (args) => {
          const a = await db.call('kb.article', { id: args.id })
          if (!a) throw new DomainError('bad_request', `知识条目 ${args.id} 不在本地索引中，请同步后重试`, `article ${args.id} is not in the local index; sync and retry`)
          // Earlier versions from the platform when it answers (kept for offline); the local copy otherwise.
          try {
            const history = await ctx.platform.call('listArticleVersions', { params: { id: args.id } })
            await db.call('kb.saveVersions', { id: args.id, items: history.items })
          } catch (err) {
            ctx.log.info('knowledge: article history from the local copy', { id: args.id, error: (err as Error).message })
          }
          return { ...a, versions: await db.call('kb.articleVersions', { id: args.id }) }
        },
        status: () => index.status(),
        sync: () => index.sync(),
        categories: async () => ({ items: await db.call('kb.categories', undefined as never) }),
        yellowPages: async (args) => ({ items: (await db.call('kb.yellowPages', undefined as never)).filter((y) => matches(args.q, y.name, y.phone, y.address, y.departmentId)) }),
        templates: async (args) => ({
          items: (await db.call('kb.templates', undefined as never)).filter((t) => (!args.categoryId || t.categoryId === args.categoryId) && matches(args.q, t.title, t.body))
        }),
        notes: async (args, call) => ({
          items: (await db.call('kb.notes', { owner: call.user!.username })).map(openNote).filter((n) => matches(args.q, n.title, n.body))
        }),
        saveNote: async (args, call) => {
          const at = Date.now()
          // Sealed with the data key: a note may quote a citizen.
          const sealed = cipher.encryptText(JSON.stringify({ title: args.title, body: args.body }))
          const id = await db.call('kb.saveNote', { owner: call.user!.username, id: args.id, sealed, at })
          if (!id) throw new DomainError('bad_request', '笔记不存在或不属于你', 'no such note of yours')
          return { id, title: args.title, body: args.body, updatedAt: at }
        },
        deleteNote: async (args, call) => {
          if (!(await db.call('kb.deleteNote', { owner: call.user!.username, id: args.id }))) throw new DomainError('bad_request', '笔记不存在或不属于你', 'no such note of yours')
          return null
        }
      }
    },
    stop() {
      clearInterval(timer)
      for (const u of unsubscribe) u()
    }
  }
}
