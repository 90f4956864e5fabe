import fs from 'node:fs'
import type { Db } from '../db/open-database'
import { insertArticle } from '../services/knowledge'
import { parseCsv } from './csv'

/**
 * Imports public messages with official replies (messages_with_replies.csv:
 * id,text,reply) as knowledge articles, from a path given on the command line.
 * The data has no licence, so it is read at run time and never committed.
 * Re-running skips rows already imported (the source id is kept in `source`).
 */
export function importRepliesCsv(db: Db, file: string, options: { limit?: number; now?: Date } = {}): { imported: number; skipped: number } {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'))
  const header = rows.shift()?.map((h) => h.trim().toLowerCase())
  const col = (name: string) => header?.indexOf(name) ?? -1
  const [idCol, textCol, replyCol] = [col('id'), col('text'), col('reply')]
  if (idCol < 0 || textCol < 0 || replyCol < 0) throw new Error(`${file}: 需要 id,text,reply 三列 (expected columns id,text,reply)`)
  const now = (options.now ?? new Date()).toISOString()
  const seen = db.prepare('SELECT 1 FROM knowledge_articles WHERE source = ?')
  let imported = 0
  let skipped = 0
  db.transaction(() => {
    for (const r of rows) {
      if (options.limit !== undefined && imported >= options.limit) break
      const [id, text, reply] = [r[idCol]?.trim(), r[textCol]?.trim(), r[replyCol]?.trim()]
      const source = `导入：messages_with_replies.csv#${id}`
      if (!id || !text || !reply || seen.get(source)) {
        skipped++
        continue
      }
      const title = text.split(/[。！？\n]/)[0]!.slice(0, 60) || text.slice(0, 60)
      insertArticle(db, { title, categoryId: null, body: `【来信】${text}\n【答复】${reply}`, keywords: [], source }, 'import', now)
      imported++
    }
  })()
  return { imported, skipped }
}
