import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database'
import { deskMigrations } from '../db/migrations'
import { knowledgeOperations as ops } from './db-operations'
import { buildMatch, type IndexedArticle } from './search-index'

let dir: string
let db: Database.Database
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-kb-'))
  db = openDatabase(path.join(dir, 'desk.sqlite')).db
})
afterEach(() => {
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const article = (id: number, title: string, body: string, extra: Partial<IndexedArticle> = {}): IndexedArticle => ({
  id,
  title,
  body,
  categoryId: null,
  keywords: [],
  version: 1,
  status: 'published',
  source: 'test',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'admin01',
  ...extra
})

function seed() {
  ops['kb.replaceCategories'](db, {
    items: [
      { id: 'c1', parentId: null, level: 1, name: '城乡建设', defaultDepartmentId: null },
      { id: 'c1.1', parentId: 'c1', level: 2, name: '供水', defaultDepartmentId: 'sw' },
      { id: 'c1.1.1', parentId: 'c1.1', level: 3, name: '停水', defaultDepartmentId: null },
      { id: 'c2', parentId: null, level: 1, name: '交通运输', defaultDepartmentId: 'jtj' }
    ]
  })
  ops['kb.upsertArticles'](db, {
    items: [
      article(1, '计划停水的通知渠道', '供水企业计划停水应提前二十四小时公告，居民可拨打供水热线查询恢复供水时间。', { categoryId: 'c1.1.1', keywords: ['停水', '供水'] }),
      article(2, '出租车拒载的投诉', '乘客遇到出租车拒载、不打表，请记下车牌号和时间。', { categoryId: 'c2', keywords: ['出租车', '拒载'] }),
      article(3, '水费缴纳方式', '水费可在营业厅、银行或手机缴纳，逾期会产生滞纳金。', { categoryId: 'c1.1' })
    ]
  })
}

describe('knowledge migrations on a real file', () => {
  it('creates the index tables and can be applied to a database from before them', () => {
    const file = path.join(dir, 'old.sqlite')
    const old = new Database(file)
    // A file of the numbered scheme from before the knowledge feature (its first migration was number 30).
    for (const m of deskMigrations().filter((m) => m.id.startsWith('core/'))) m.up(old)
    old.pragma('user_version = 29')
    old.close()
    const { db: migrated } = openDatabase(file)
    const tables = (migrated.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'kb_%'").pluck().all() as string[]).sort()
    expect(tables).toEqual(expect.arrayContaining(['kb_articles', 'kb_categories', 'kb_fts', 'kb_notes', 'kb_reply_templates', 'kb_yellow_pages']))
    expect(migrated.prepare("SELECT id FROM schema_migrations WHERE id LIKE 'knowledge/%' AND how = 'ran'").pluck().all()).toEqual(['knowledge/1-offline-index', 'knowledge/2-term-document-counts'])
    migrated.close()
  })
})

describe('local knowledge index', () => {
  it('finds Chinese words typed without spaces, best match first, with a plain-text snippet', () => {
    seed()
    const hits = ops['kb.search'](db, { q: '我家停水了', limit: 10 })
    expect(hits[0]!.id).toBe(1)
    expect(hits[0]!.snippet).toContain('停水')
    expect(ops['kb.search'](db, { q: '出租车不打表', limit: 10 })[0]!.id).toBe(2)
  })

  it('answers a one-character query', () => {
    seed()
    expect(ops['kb.search'](db, { q: '水', limit: 10 }).map((h) => h.id).sort()).toEqual([1, 3])
  })

  it('leaves the filler characters of a long account out of the query, but not those of a short one', () => {
    seed()
    expect(buildMatch(db, '水')).toMatch(/chars :/)
    // Three selective words and a date: 年, 月, 日 would only make FTS5 score most of a large index.
    const q = '出租车拒载，供水营业厅停水，2026年5月3日'
    expect(buildMatch(db, q)).not.toMatch(/chars :/)
    expect(buildMatch(db, '停水，5月3日')).toMatch(/chars :/)
    expect(ops['kb.search'](db, { q, limit: 10 }).map((h) => h.id)).toEqual(expect.arrayContaining([1, 2]))
  })

  it('filters by category (with its sub-categories) and by department (from the category tree)', () => {
    seed()
    expect(ops['kb.search'](db, { q: '水', categoryId: 'c1', limit: 10 }).map((h) => h.id).sort()).toEqual([1, 3])
    expect(ops['kb.search'](db, { q: '水', categoryId: 'c1.1.1', limit: 10 }).map((h) => h.id)).toEqual([1])
    expect(ops['kb.search'](db, { q: '出租车', departmentId: 'jtj', limit: 10 }).map((h) => h.id)).toEqual([2])
    expect(ops['kb.search'](db, { q: '出租车', departmentId: 'sw', limit: 10 })).toEqual([])
    expect(ops['kb.article'](db, { id: 1 })!.departmentId).toBe('sw')
  })

  it('takes a newer version, ignores an older one, and drops a retired article from search', () => {
    seed()
    ops['kb.upsertArticles'](db, { items: [article(2, '网约车拒载的投诉', '网约车平台投诉渠道。', { version: 2 })] })
    ops['kb.upsertArticles'](db, { items: [article(2, '出租车拒载的投诉', '旧文', { version: 1 })] })
    expect(ops['kb.article'](db, { id: 2 })!.title).toBe('网约车拒载的投诉')
    expect(ops['kb.search'](db, { q: '出租车', limit: 10 })).toEqual([])
    expect(ops['kb.articleVersions'](db, { id: 2 }).map((v) => v.version)).toEqual([2, 1])
    ops['kb.upsertArticles'](db, { items: [article(2, '网约车拒载的投诉', '网约车平台投诉渠道。', { version: 3, status: 'retired' })] })
    expect(ops['kb.search'](db, { q: '网约车', limit: 10 })).toEqual([])
  })

  it('treats FTS5 syntax and SQL in a query as text', () => {
    seed()
    for (const q of ['" OR 1=1 --', 'NEAR(停水 水费)', "'; DROP TABLE kb_articles; --", '*', '停水 AND NOT']) {
      expect(() => ops['kb.search'](db, { q, limit: 10 })).not.toThrow()
    }
    expect(ops['kb.count'](db)).toBe(3)
  })

  it("keeps one agent's notes away from another's", () => {
    const id = ops['kb.saveNote'](db, { owner: 'agent01', id: null, sealed: 'x', at: 1 })
    expect(ops['kb.saveNote'](db, { owner: 'agent02', id, sealed: 'y', at: 2 })).toBe(0)
    expect(ops['kb.deleteNote'](db, { owner: 'agent02', id })).toBe(false)
    expect(ops['kb.notes'](db, { owner: 'agent01' })).toEqual([{ id, sealed: 'x', createdAt: 1, updatedAt: 1 }])
  })
})

describe('knowledge migration 2: per-term document counts', () => {
  it('backfills from an index built before it (numbered 30) and stays right as articles change', () => {
    const file = path.join(dir, 'v30.sqlite')
    const old = new Database(file)
    for (const m of deskMigrations().filter((m) => m.id.startsWith('core/') || m.id === 'knowledge/1-offline-index')) m.up(old)
    old.pragma('user_version = 30')
    old.prepare("INSERT INTO kb_fts (rowid, title, keywords, body, chars) VALUES (1, '停水 通知', '', '停水 时间', '停 水')").run()
    old.close()
    const { db: migrated } = openDatabase(file)
    expect(migrated.prepare("SELECT df FROM kb_terms WHERE term = '停水'").pluck().get()).toBe(1)
    migrated.close()

    seed()
    const df = (term: string) => db.prepare('SELECT df FROM kb_terms WHERE term = ?').pluck().get(term) ?? 0
    expect(df('停水')).toBe(1)
    expect(df('水费')).toBe(1)
    ops['kb.upsertArticles'](db, { items: [article(3, '水费缴纳方式', '停水期间水费照常缴纳。', { version: 2 })] })
    expect(df('停水')).toBe(2)
    ops['kb.upsertArticles'](db, { items: [article(3, '水费缴纳方式', '停水期间水费照常缴纳。', { version: 3, status: 'retired' })] })
    expect(df('停水')).toBe(1)
    expect(df('滞纳')).toBe(0)
  })
})
