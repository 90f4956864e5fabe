import type Database from 'better-sqlite3'
import { ftsColumn, ftsQuote, normaliseText, queryTerms, tokenize, type QueryTerms } from '../../shared/knowledge'

/**
 * The local knowledge index (runs in the database worker): articles tokenised
 * by shared/knowledge into a contentless FTS5 table, BM25-ranked queries that
 * keep the query's most selective terms, filters by category and department.
 */
export interface IndexedArticle {
  id: number
  title: string
  categoryId: string | null
  body: string
  keywords: string[]
  version: number
  status: 'published' | 'retired'
  source: string
  updatedAt: string
  updatedBy: string
}

export interface SearchArgs {
  q: string
  categoryId?: string | null
  departmentId?: string | null
  limit: number
}

export interface SearchHit {
  id: number
  title: string
  categoryId: string | null
  departmentId: string | null
  snippet: string
  version: number
  score: number
}

/** Column weights: a hit in the title or keywords says far more about an article than one in its body. */
const WEIGHTS = { title: 6, keywords: 4, body: 1, chars: 0.3 }
/**
 * A citizen's whole account can be the query (the assistant passes what was typed); its most selective terms
 * carry the meaning, the common ones (我们, 反映, 情况) only cost time.
 */
const MAX_QUERY_TERMS = 24

/** Terms found in more than this share of articles are left out of a query that has enough rarer ones. */
const COMMON_SHARE = 0.05
/** Matching rows (summed document counts) a query may make FTS5 score; keeps p95 in budget at 50k articles. */
const POSTING_BUDGET = 4000
/** Selective words in a query after which its single characters are left out. */
const SELECTIVE_ENOUGH = 3

const statements = new WeakMap<Database.Database, ReturnType<typeof prepare>>()

function prepare(db: Database.Database) {
  return {
    df: db.prepare('SELECT df FROM kb_terms WHERE term = ?').pluck(),
    addDf: db.prepare('INSERT INTO kb_terms (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df'),
    pruneDf: db.prepare('DELETE FROM kb_terms WHERE df <= 0'),
    old: db.prepare('SELECT title, keywords, body, status FROM kb_articles WHERE id = ?'),
    count: db.prepare("SELECT count(*) FROM kb_articles WHERE status = 'published'").pluck(),
    deleteFts: db.prepare('DELETE FROM kb_fts WHERE rowid = ?'),
    insertFts: db.prepare('INSERT INTO kb_fts (rowid, title, keywords, body, chars) VALUES (?, ?, ?, ?, ?)'),
    category: db.prepare('SELECT id, parent_id, default_department_id FROM kb_categories WHERE id = ?'),
    upsert: db.prepare(`
      INSERT INTO kb_articles (id, title, category_id, category_path, department_id, body, keywords, version, status, source, updated_at, updated_by)
      VALUES (@id, @title, @categoryId, @categoryPath, @departmentId, @body, @keywords, @version, @status, @source, @updatedAt, @updatedBy)
      ON CONFLICT(id) DO UPDATE SET title = excluded.title, category_id = excluded.category_id, category_path = excluded.category_path,
        department_id = excluded.department_id, body = excluded.body, keywords = excluded.keywords, version = excluded.version,
        status = excluded.status, source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
    version: db.prepare(`INSERT OR IGNORE INTO kb_article_versions (article_id, version, title, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)`),
    existing: db.prepare('SELECT version FROM kb_articles WHERE id = ?').pluck()
  }
}

function stmts(db: Database.Database) {
  let s = statements.get(db)
  if (!s) statements.set(db, (s = prepare(db)))
  return s
}

/** '/level1/level2/level3/' and the nearest department up the tree. */
function placeInTree(db: Database.Database, categoryId: string | null): { path: string; departmentId: string | null } {
  const ids: string[] = []
  let departmentId: string | null = null
  let at = categoryId
  for (let guard = 0; at && guard < 8; guard++) {
    const row = stmts(db).category.get(at) as { id: string; parent_id: string | null; default_department_id: string | null } | undefined
    if (!row) {
      ids.unshift(at)
      break
    }
    ids.unshift(row.id)
    departmentId ??= row.default_department_id
    at = row.parent_id
  }
  return { path: '/' + ids.map((i) => i + '/').join(''), departmentId }
}

function distinctTerms(...texts: string[]): Set<string> {
  const out = new Set<string>()
  for (const t of texts) for (const term of tokenize(t).terms) out.add(term)
  return out
}

/** Writes articles and their index rows, in one transaction. Older versions than the one held are ignored. */
export function upsertArticles(db: Database.Database, articles: readonly IndexedArticle[]): { written: number } {
  const s = stmts(db)
  let written = 0
  dfCache.delete(db)
  counts.delete(db)
  // Changes to the per-term document counts, written once per term at the end (an article has ~200 terms).
  const dfDelta = new Map<string, number>()
  const count = (terms: Iterable<string>, by: number) => {
    for (const t of terms) dfDelta.set(t, (dfDelta.get(t) ?? 0) + by)
  }
  db.transaction(() => {
    for (const a of articles) {
      const held = s.existing.get(a.id) as number | undefined
      if (held !== undefined && held > a.version) continue
      if (held !== undefined) {
        const old = s.old.get(a.id) as { title: string; keywords: string; body: string; status: string }
        if (old.status === 'published') count(distinctTerms(old.title, (JSON.parse(old.keywords) as string[]).join(' '), old.body), -1)
      }
      const place = placeInTree(db, a.categoryId)
      s.upsert.run({ ...a, categoryPath: place.path, departmentId: place.departmentId, keywords: JSON.stringify(a.keywords) })
      s.version.run(a.id, a.version, a.title, a.body, a.updatedAt, a.updatedBy)
      if (held !== undefined) s.deleteFts.run(a.id)
      if (a.status === 'published') {
        const title = tokenize(a.title)
        const keywords = tokenize(a.keywords.join(' '))
        const body = tokenize(a.body)
        count(new Set([...title.terms, ...keywords.terms, ...body.terms]), 1)
        // Single characters of the title and keywords only: a one-character query looks for what an article is
        // about; every 水 in every body would make it match (and score) a third of the articles.
        s.insertFts.run(a.id, ftsColumn(title.terms), ftsColumn(keywords.terms), ftsColumn(body.terms), ftsColumn([...title.chars, ...keywords.chars]))
      }
      written++
    }
    for (const [term, by] of dfDelta) if (by !== 0) s.addDf.run(term, by)
    s.pruneDf.run()
  })()
  return { written }
}

// Document counts of query terms, remembered until the next write (typing repeats the same terms).
const dfCache = new WeakMap<Database.Database, Map<string, number>>()
const DF_CACHE_MAX = 200_000

function documentFrequency(db: Database.Database, term: string): number {
  let cache = dfCache.get(db)
  if (!cache) dfCache.set(db, (cache = new Map()))
  let df = cache.get(term)
  if (df === undefined) {
    df = (stmts(db).df.get(term) as number | undefined) ?? 0
    if (cache.size >= DF_CACHE_MAX) cache.clear()
    cache.set(term, df)
  }
  return df
}

/**
 * The FTS5 query for what the agent typed, or null when nothing in it can match. Terms the index has never
 * seen are dropped; of the rest the MAX_QUERY_TERMS rarest are kept (highest IDF).
 */
export function buildMatch(db: Database.Database, q: string | QueryTerms, scope: 'auto' | 'anywhere' = 'auto'): string | null {
  const qt = typeof q === 'string' ? queryTerms(q) : q
  const known: { term: string; df: number }[] = []
  for (const term of qt.terms) {
    const df = documentFrequency(db, term)
    if (df > 0) known.push({ term, df })
  }
  known.sort((a, b) => a.df - b.df)
  // FTS5 scores every matching row, so a query costs the rows its terms match (about 0.5 µs each). The rarest
  // terms count wherever they occur, up to a budget of matching rows; a term in a large share of the articles
  // hardly changes a ranking and is dropped. A query made only of common words (物业, 小区 typed alone) looks at
  // titles and keywords: that is where a common word still says what an article is about, and it is 4× cheaper.
  const common = Math.max(50, publishedCount(db) * COMMON_SHARE)
  const anywhere: string[] = []
  let postings = 0
  for (const k of known) {
    if (anywhere.length >= MAX_QUERY_TERMS || k.df > common || postings + k.df > POSTING_BUDGET) break
    anywhere.push(ftsQuote(k.term))
    postings += k.df
  }
  const parts: string[] = []
  if (anywhere.length) parts.push(`{title keywords body} : (${anywhere.join(' OR ')})`)
  else if (known.length) {
    const few = known.slice(0, 2).map((k) => ftsQuote(k.term))
    parts.push(scope === 'anywhere' ? `{title keywords body} : (${few.join(' OR ')})` : `{title keywords} : (${few.join(' OR ')})`)
  }
  if (qt.prefix && !anywhere.includes(ftsQuote(qt.prefix))) parts.push(`{title keywords} : ${ftsQuote(qt.prefix)}*`)
  // Single characters find what a short query is about (水, 停水了). Beside three or more selective words they
  // are the message's filler (在, 月, 日, 市), each matching tens of thousands of titles: at 50k articles they
  // tripled p95 and did not help ranking (NDCG@10 0.2834 with them, 0.2845 without).
  if (qt.chars.length && anywhere.length < SELECTIVE_ENOUGH) parts.push(`chars : (${qt.chars.map(ftsQuote).join(' OR ')})`)
  return parts.length ? parts.join(' OR ') : null
}

/** Plain text around the first place a query term occurs (the UI shows it as text, never HTML). */
export function makeSnippet(body: string, q: string | QueryTerms, width = 120): string {
  const norm = normaliseText(body)
  const { terms, chars, prefix } = typeof q === 'string' ? queryTerms(q) : q
  const candidates = [...terms, ...chars, ...(prefix ? [prefix] : [])].sort((a, b) => b.length - a.length)
  let at = -1
  for (const t of candidates) {
    at = norm.indexOf(t)
    if (at >= 0) break
  }
  // NFKC keeps the length of CJK text; for the rare text where it does not, the offset is only approximate.
  const start = Math.max(0, Math.min(at - 30, body.length - width))
  return (start > 0 ? '…' : '') + body.slice(start, start + width) + (start + width < body.length ? '…' : '')
}

export function searchArticles(db: Database.Database, args: SearchArgs): SearchHit[] {
  const qt = queryTerms(args.q)
  const hits = runSearch(db, args, qt, buildMatch(db, qt), 'bm25')
  // Common words found in no title: the bodies after all, newest first. Ranking would score a large share of
  // the index to order articles that a common word alone cannot tell apart.
  return hits.length ? hits : runSearch(db, args, qt, buildMatch(db, qt, 'anywhere'), 'newest')
}

function runSearch(db: Database.Database, args: SearchArgs, qt: QueryTerms, match: string | null, order: 'bm25' | 'newest'): SearchHit[] {
  if (!match) return []
  const where = ['kb_fts MATCH @match']
  const bind: Record<string, unknown> = { match, limit: args.limit }
  if (args.categoryId) {
    where.push("a.category_path LIKE @category ESCAPE '\\'")
    bind.category = `%/${args.categoryId.replace(/[\\%_]/g, (c) => '\\' + c)}/%`
  }
  if (args.departmentId) {
    where.push('a.department_id = @department')
    bind.department = args.departmentId
  }
  const w = WEIGHTS
  // 'newest': FTS5 walks rowids backwards and stops at the limit (score 0, i.e. unranked).
  const bm25 = order === 'bm25' ? `bm25(kb_fts, ${w.title}, ${w.keywords}, ${w.body}, ${w.chars})` : '-kb_fts.rowid'
  // Unfiltered, rank inside FTS5 first and read only the winners' rows (joining every match costs more than
  // the ranking); filtered, the join is the filter.
  const sql =
    where.length === 1
      ? `SELECT a.id, a.title, a.category_id, a.department_id, a.body, a.version, hit.score
         FROM (SELECT rowid, ${bm25} AS score FROM kb_fts WHERE kb_fts MATCH @match ORDER BY score LIMIT @limit) hit
         JOIN kb_articles a ON a.id = hit.rowid ORDER BY hit.score`
      : `SELECT a.id, a.title, a.category_id, a.department_id, a.body, a.version, ${bm25} AS score
         FROM kb_fts JOIN kb_articles a ON a.id = kb_fts.rowid
         WHERE ${where.join(' AND ')} ORDER BY score LIMIT @limit`
  const rows = db.prepare(sql).all(bind) as { id: number; title: string; category_id: string | null; department_id: string | null; body: string; version: number; score: number }[]
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    categoryId: r.category_id,
    departmentId: r.department_id,
    snippet: makeSnippet(r.body, qt),
    version: r.version,
    score: order === 'bm25' ? -r.score : 0
  }))
}

const counts = new WeakMap<Database.Database, number>()

export function publishedCount(db: Database.Database): number {
  let n = counts.get(db)
  if (n === undefined) counts.set(db, (n = stmts(db).count.get() as number))
  return n
}
