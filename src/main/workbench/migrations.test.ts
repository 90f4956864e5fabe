import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database'
import { workbenchOperations } from './db-operations'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-wb-db-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('workbench migration 10 on a real file', () => {
  it('creates the draft, caller-cache and submission tables, and the caller lookup uses its index', () => {
    const file = path.join(dir, 'desk.sqlite')
    const { db } = openDatabase(file)
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'wb_%' ORDER BY name").pluck().all()
    expect(tables).toEqual(['wb_caller_calls', 'wb_caller_tickets', 'wb_callers', 'wb_drafts', 'wb_submissions'])
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT sealed FROM wb_caller_tickets WHERE phone_ix = ? ORDER BY ticket_id DESC LIMIT 20').all('x') as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX wb_caller_tickets_ix/)
    db.close()
  })

  it('keeps a saved draft across a reopen, newest revision only', () => {
    const file = path.join(dir, 'desk.sqlite')
    let { db } = openDatabase(file)
    const save = (rev: number, sealed: string) => workbenchOperations['wb.draft.save'](db, { id: 'd1', owner: 'agent01', callId: 'c1', rev, sealed, at: rev })
    expect(save(5, 'v5')).toBe('saved')
    expect(save(4, 'v4')).toBe('stale')
    expect(workbenchOperations['wb.draft.save'](db, { id: 'd1', owner: 'agent02', callId: null, rev: 9, sealed: 'x', at: 9 })).toBe('forbidden')
    db.close()
    ;({ db } = openDatabase(file))
    expect(workbenchOperations['wb.draft.get'](db, { id: 'd1' })).toMatchObject({ rev: 5, sealed: 'v5', callId: 'c1', status: 'open' })
    db.close()
  })
})
