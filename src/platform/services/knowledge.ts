import type { Article } from '../../shared/api'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'
import { decodeCursor, pageFrom } from '../http/cursor'
import type { Handlers } from '../http/handler-types'
import { checkCategory } from './reference-checks'

interface ArticleRow {
  id: number
  title: string
  category_id: string | null
  body: string
  keywords: string
  version: number
  status: Article['status']
  source: string
  updated_at: string
  updated_by: string
}

function toArticle(r: ArticleRow): Article {
  return {
    id: r.id,
    title: r.title,
    categoryId: r.category_id,
    body: r.body,
    keywords: JSON.parse(r.keywords) as string[],
    version: r.version,
    status: r.status,
    source: r.source,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by
  }
}

function load(db: Db, id: number): ArticleRow {
  const row = db.prepare('SELECT * FROM knowledge_articles WHERE id = ?').get(id) as ArticleRow | undefined
  if (!row) throw errors.notFound('知识条目', 'article')
  return row
}

export interface NewArticle {
  title: string
  categoryId: string | null
  body: string
  keywords: string[]
  source: string
}

/** Writes an article, its first version and its search index row (used by the API, the seed and the CSV import). */
export function insertArticle(db: Db, a: NewArticle, by: string, now: string): number {
  const info = db
    .prepare(
      "INSERT INTO knowledge_articles (title, category_id, body, keywords, version, status, source, updated_at, updated_by) VALUES (?, ?, ?, ?, 1, 'published', ?, ?, ?)"
    )
    .run(a.title, a.categoryId, a.body, JSON.stringify(a.keywords), a.source, now, by)
  const id = Number(info.lastInsertRowid)
  db.prepare('INSERT INTO knowledge_versions (article_id, version, title, body, keywords, updated_at, updated_by) VALUES (?, 1, ?, ?, ?, ?, ?)').run(
    id,
    a.title,
    a.body,
    JSON.stringify(a.keywords),
    now,
    by
  )
  db.prepare('INSERT INTO knowledge_fts (rowid, title, body, keywords) VALUES (?, ?, ?, ?)').run(id, a.title, a.body, a.keywords.join(' '))
  return id
}

/** Plain text around the first hit; the client renders it as text, never as HTML. */
function snippet(body: string, q: string): string {
  const at = Math.max(0, body.indexOf(q))
  const start = Math.max(0, at - 30)
  return (start > 0 ? '…' : '') + body.slice(start, start + 120) + (start + 120 < body.length ? '…' : '')
}

/**
 * FTS5 phrase query over the trigram index for terms of 3+ characters; shorter
 * terms (common in Chinese: 社保, 停水) fall back to LIKE, which is fine at the
 * knowledge base's size (tens of thousands of articles).
 */
function search(db: Db, q: string, categoryId: string | undefined, limit: number) {
  const terms = q.split(/\s+/).filter(Boolean)
  const long = terms.filter((t) => [...t].length >= 3)
  const short = terms.filter((t) => [...t].length < 3)
  const where: string[] = ["a.status = 'published'"]
  const bind: unknown[] = []
  let from = 'knowledge_articles a'
  let score = '0'
  if (long.length) {
    from = 'knowledge_fts f JOIN knowledge_articles a ON a.id = f.rowid'
    where.push('knowledge_fts MATCH ?')
    bind.push(long.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND '))
    score = 'bm25(knowledge_fts, 5.0, 1.0, 3.0)'
  }
  for (const t of short) {
    where.push("(a.title LIKE ? ESCAPE '\\' OR a.body LIKE ? ESCAPE '\\' OR a.keywords LIKE ? ESCAPE '\\')")
    const like = `%${t.replace(/[\\%_]/g, (c) => '\\' + c)}%`
    bind.push(like, like, like)
  }
  if (categoryId) {
    where.push('a.category_id = ?')
    bind.push(categoryId)
  }
  const rows = db
    .prepare(`SELECT a.id, a.title, a.category_id, a.body, a.version, ${score} AS score FROM ${from} WHERE ${where.join(' AND ')} ORDER BY score, a.id DESC LIMIT ?`)
    .all(...bind, limit) as { id: number; title: string; category_id: string | null; body: string; version: number; score: number }[]
  return rows.map((r) => ({ id: r.id, title: r.title, categoryId: r.category_id, snippet: snippet(r.body, terms[0] ?? ''), version: r.version, score: -r.score }))
}

export const knowledgeHandlers = {
  searchKnowledge: ({ ctx, query }) => ({ items: search(ctx.db, query.q.trim(), query.categoryId, query.limit) }),

  listArticles: ({ ctx, query }) => {
    const after = decodeCursor(query.cursor, ['string', 'number'])
    const bind: Record<string, unknown> = { limit: query.limit + 1, since: query.updatedSince ?? '' }
    let where = 'updated_at > @since'
    if (after) {
      where = '(updated_at, id) > (@afterAt, @afterId)'
      bind.afterAt = after[0]
      bind.afterId = after[1]
    }
    const rows = ctx.db.prepare(`SELECT * FROM knowledge_articles WHERE ${where} ORDER BY updated_at, id LIMIT @limit`).all(bind) as ArticleRow[]
    return pageFrom(rows, query.limit, toArticle, (r) => [r.updated_at, r.id])
  },

  getArticle: ({ ctx, params }) => toArticle(load(ctx.db, params.id)),

  listArticleVersions: ({ ctx, params }) => {
    load(ctx.db, params.id)
    const rows = ctx.db.prepare('SELECT * FROM knowledge_versions WHERE article_id = ? ORDER BY version DESC').all(params.id) as {
      version: number
      title: string
      body: string
      keywords: string
      updated_at: string
      updated_by: string
    }[]
    return { items: rows.map((v) => ({ version: v.version, title: v.title, body: v.body, keywords: JSON.parse(v.keywords) as string[], updatedAt: v.updated_at, updatedBy: v.updated_by })) }
  },

  createArticle: (args) => {
    const { ctx, body, user, now } = args
    if (body.categoryId) checkCategory(ctx.db, body.categoryId)
    const id = insertArticle(ctx.db, { ...body, source: `编辑：${user.displayName}` }, user.username, now)
    args.emit('knowledge.updated', { id, version: 1 })
    return toArticle(load(ctx.db, id))
  },

  updateArticle: (args) => {
    const { ctx, body, params, user, now } = args
    const row = load(ctx.db, params.id)
    if (row.version !== body.version) throw errors.conflict(row.version)
    if (body.categoryId) checkCategory(ctx.db, body.categoryId)
    const next = {
      title: body.title ?? row.title,
      category_id: body.categoryId === undefined ? row.category_id : body.categoryId,
      body: body.body ?? row.body,
      keywords: body.keywords ? JSON.stringify(body.keywords) : row.keywords,
      status: body.status ?? row.status,
      version: row.version + 1
    }
    ctx.db
      .prepare('UPDATE knowledge_articles SET title = @title, category_id = @category_id, body = @body, keywords = @keywords, status = @status, version = @version, updated_at = @now, updated_by = @by WHERE id = @id')
      .run({ ...next, now, by: user.username, id: row.id })
    ctx.db
      .prepare('INSERT INTO knowledge_versions (article_id, version, title, body, keywords, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.id, next.version, next.title, next.body, next.keywords, now, user.username)
    ctx.db.prepare('UPDATE knowledge_fts SET title = ?, body = ?, keywords = ? WHERE rowid = ?').run(next.title, next.body, (JSON.parse(next.keywords) as string[]).join(' '), row.id)
    args.emit('knowledge.updated', { id: row.id, version: next.version })
    return toArticle(load(ctx.db, row.id))
  }
} satisfies Partial<Handlers>
