import type Database from 'better-sqlite3'
// The tables these queries need are registered with the migration runner by loading them.
import './migrations'
import { publishedCount, searchArticles, upsertArticles, type IndexedArticle, type SearchArgs } from './search-index'

export interface CategoryRow {
  id: string
  parentId: string | null
  level: number
  name: string
  defaultDepartmentId: string | null
}
export interface YellowPageRow {
  departmentId: string
  name: string
  phone: string
  address: string
  officeHours: string
}
export interface ReplyTemplateRow {
  id: number
  title: string
  categoryId: string | null
  body: string
}
export interface ArticleRecord extends IndexedArticle {
  departmentId: string | null
}
export interface NoteRow {
  id: number
  sealed: string
  createdAt: number
  updatedAt: number
}

interface ArticleDbRow {
  id: number
  title: string
  category_id: string | null
  department_id: string | null
  body: string
  keywords: string
  version: number
  status: 'published' | 'retired'
  source: string
  updated_at: string
  updated_by: string
}

const toRecord = (r: ArticleDbRow): ArticleRecord => ({
  id: r.id,
  title: r.title,
  categoryId: r.category_id,
  departmentId: r.department_id,
  body: r.body,
  keywords: JSON.parse(r.keywords) as string[],
  version: r.version,
  status: r.status,
  source: r.source,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by
})

/** The knowledge feature's named queries, run in the database worker (see db/operations.ts). */
export const knowledgeOperations = {
  'kb.replaceCategories': (db: Database.Database, args: { items: CategoryRow[] }): null => {
    db.transaction(() => {
      db.prepare('DELETE FROM kb_categories').run()
      const ins = db.prepare('INSERT INTO kb_categories (id, parent_id, level, name, default_department_id) VALUES (?, ?, ?, ?, ?)')
      for (const c of args.items) ins.run(c.id, c.parentId, c.level, c.name, c.defaultDepartmentId)
    })()
    return null
  },
  'kb.categories': (db: Database.Database): CategoryRow[] =>
    (db.prepare('SELECT id, parent_id, level, name, default_department_id FROM kb_categories ORDER BY level, id').all() as { id: string; parent_id: string | null; level: number; name: string; default_department_id: string | null }[]).map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      level: r.level,
      name: r.name,
      defaultDepartmentId: r.default_department_id
    })),
  'kb.upsertArticles': (db: Database.Database, args: { items: IndexedArticle[] }) => upsertArticles(db, args.items),
  'kb.search': (db: Database.Database, args: SearchArgs) => searchArticles(db, args),
  'kb.count': (db: Database.Database): number => publishedCount(db),
  'kb.article': (db: Database.Database, args: { id: number }): ArticleRecord | null => {
    const r = db.prepare('SELECT * FROM kb_articles WHERE id = ?').get(args.id) as ArticleDbRow | undefined
    return r ? toRecord(r) : null
  },
  'kb.articleVersions': (db: Database.Database, args: { id: number }) =>
    (db.prepare('SELECT version, title, body, updated_at, updated_by FROM kb_article_versions WHERE article_id = ? ORDER BY version DESC').all(args.id) as {
      version: number
      title: string
      body: string
      updated_at: string
      updated_by: string
    }[]).map((v) => ({ version: v.version, title: v.title, body: v.body, updatedAt: v.updated_at, updatedBy: v.updated_by })),
  'kb.saveVersions': (db: Database.Database, args: { id: number; items: { version: number; title: string; body: string; updatedAt: string; updatedBy: string }[] }): null => {
    const ins = db.prepare('INSERT OR IGNORE INTO kb_article_versions (article_id, version, title, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)')
    db.transaction(() => {
      for (const v of args.items) ins.run(args.id, v.version, v.title, v.body, v.updatedAt, v.updatedBy)
    })()
    return null
  },
  'kb.replaceYellowPages': (db: Database.Database, args: { items: YellowPageRow[] }): null => {
    db.transaction(() => {
      db.prepare('DELETE FROM kb_yellow_pages').run()
      const ins = db.prepare('INSERT INTO kb_yellow_pages (department_id, name, phone, address, office_hours) VALUES (?, ?, ?, ?, ?)')
      for (const y of args.items) ins.run(y.departmentId, y.name, y.phone, y.address, y.officeHours)
    })()
    return null
  },
  'kb.yellowPages': (db: Database.Database): YellowPageRow[] =>
    (db.prepare('SELECT department_id, name, phone, address, office_hours FROM kb_yellow_pages ORDER BY department_id').all() as { department_id: string; name: string; phone: string; address: string; office_hours: string }[]).map((r) => ({
      departmentId: r.department_id,
      name: r.name,
      phone: r.phone,
      address: r.address,
      officeHours: r.office_hours
    })),
  'kb.replaceTemplates': (db: Database.Database, args: { items: ReplyTemplateRow[] }): null => {
    db.transaction(() => {
      db.prepare('DELETE FROM kb_reply_templates').run()
      const ins = db.prepare('INSERT INTO kb_reply_templates (id, title, category_id, body) VALUES (?, ?, ?, ?)')
      for (const t of args.items) ins.run(t.id, t.title, t.categoryId, t.body)
    })()
    return null
  },
  'kb.templates': (db: Database.Database): ReplyTemplateRow[] =>
    (db.prepare('SELECT id, title, category_id, body FROM kb_reply_templates ORDER BY id').all() as { id: number; title: string; category_id: string | null; body: string }[]).map((r) => ({
      id: r.id,
      title: r.title,
      categoryId: r.category_id,
      body: r.body
    })),
  'kb.notes': (db: Database.Database, args: { owner: string }): NoteRow[] =>
    (db.prepare('SELECT id, sealed, created_at, updated_at FROM kb_notes WHERE owner = ? ORDER BY updated_at DESC').all(args.owner) as { id: number; sealed: string; created_at: number; updated_at: number }[]).map((r) => ({
      id: r.id,
      sealed: r.sealed,
      createdAt: r.created_at,
      updatedAt: r.updated_at
    })),
  'kb.saveNote': (db: Database.Database, args: { owner: string; id: number | null; sealed: string; at: number }): number => {
    if (args.id === null) return Number(db.prepare('INSERT INTO kb_notes (owner, sealed, created_at, updated_at) VALUES (?, ?, ?, ?)').run(args.owner, args.sealed, args.at, args.at).lastInsertRowid)
    // owner in the WHERE: one agent can never overwrite another's note by guessing its id.
    const info = db.prepare('UPDATE kb_notes SET sealed = ?, updated_at = ? WHERE id = ? AND owner = ?').run(args.sealed, args.at, args.id, args.owner)
    return info.changes ? args.id : 0
  },
  'kb.deleteNote': (db: Database.Database, args: { owner: string; id: number }): boolean => db.prepare('DELETE FROM kb_notes WHERE id = ? AND owner = ?').run(args.id, args.owner).changes > 0
} satisfies Record<string, (db: Database.Database, args: never) => unknown>
