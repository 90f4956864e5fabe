import fs from 'node:fs'
import { type CsvRowError, csvColumns, parseCsv } from '../../shared/csv'
import type { Db } from '../db/open-database'
import { insertArticle } from '../services/knowledge'

/**
 * Imports public messages with official replies (messages_with_replies.csv:
 * id,text,reply) as knowledge articles, from a path given on the command line.
 * The data has no licence, so it is read at run time and never committed.
 * Re-running skips rows already imported (the source id is kept in `source`);
 * a row the reader cannot take (a quote never closed) is skipped and named in
 * `errors` with its line.
 */
export function importRepliesCsv(db: Db, file: string, options: { limit?: number; now?: Date } = {}): { imported: number; skipped: number; errors: CsvRowError[] } {
  const { records, errors } = parseCsv(fs.readFileSync(file, 'utf8'))
  const col = csvColumns(records[0])
  const [idCol, textCol, replyCol] = [col('id'), col('text'), col('reply')]
  if (idCol < 0 || textCol < 0 || replyCol < 0) throw new Error(`${file}: 需要 id,text,reply 三列 (expected columns id,text,reply)`)
  const now = (options.now ?? new Date()).toISOString()
  const seen = db.prepare('SELECT 1 FROM knowledge_articles WHERE source = ?')
  let imported = 0
  let skipped = errors.length
  db.transaction(() => {
    for (const { fields: r } of records.slice(1)) {
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
  return { imported, skipped, errors }
}
