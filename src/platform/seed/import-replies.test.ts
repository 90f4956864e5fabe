import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/open-database'
import { importRepliesCsv } from './import-replies'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function fixture(csv: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-replies-'))
  dirs.push(dir)
  const file = path.join(dir, 'messages_with_replies.csv')
  fs.writeFileSync(file, csv)
  return { db: openDatabase(path.join(dir, 'data')), file }
}

describe('importRepliesCsv', () => {
  it('imports quoted, multi-line replies from a BOM + CRLF file, keeps quotes inside text, and skips rows it cannot use', () => {
    const { db, file } = fixture(
      '\uFEFFID, Text ,reply\r\n' +
        '101,"小区路灯坏了，晚上很黑","您好：\r\n反映的“路灯坏了”已转城管局，""三日内""修复。"\r\n' +
        '102,只有来信没有答复,\r\n' +
        '103,他说"路灯坏了"就挂了,已派单\r\n' +
        '104,来信,"答复的引号没有闭合\r\n105,这一行被吞进了上一行的答复,答复\r\n'
    )
    try {
      expect(importRepliesCsv(db, file, { now: new Date(0) })).toEqual({ imported: 2, skipped: 2, errors: [{ line: 6, message: expect.stringContaining('unterminated') }] })
      const rows = db.prepare('SELECT title, body, source FROM knowledge_articles ORDER BY id').all()
      expect(rows).toEqual([
        {
          title: '小区路灯坏了，晚上很黑',
          body: '【来信】小区路灯坏了，晚上很黑\n【答复】您好：\r\n反映的“路灯坏了”已转城管局，"三日内"修复。',
          source: '导入：messages_with_replies.csv#101'
        },
        { title: '他说"路灯坏了"就挂了', body: '【来信】他说"路灯坏了"就挂了\n【答复】已派单', source: '导入：messages_with_replies.csv#103' }
      ])
      // Run again: the row already imported is skipped, nothing doubles.
      expect(importRepliesCsv(db, file)).toMatchObject({ imported: 0, skipped: 4 })
    } finally {
      db.close()
    }
  })

  it('refuses a file without the id,text,reply columns and imports nothing', () => {
    const { db, file } = fixture('id,text,label\n1,路灯坏了,城乡建设\n')
    try {
      expect(() => importRepliesCsv(db, file)).toThrow(/expected columns id,text,reply/)
      expect(db.prepare('SELECT COUNT(*) AS n FROM knowledge_articles').get()).toEqual({ n: 0 })
    } finally {
      db.close()
    }
  })
})
