import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DbClient } from './client'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-dbc-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('DbClient (worker thread)', () => {
  it('runs named operations in the worker and reports the pragmas of its connection', async () => {
    const { client } = await DbClient.open(path.join(dir, 'a.sqlite'))
    await client.call('meta.set', { key: '称呼', value: '玉林 𠀀 😀' })
    expect(await client.call('meta.get', { key: '称呼' })).toBe('玉林 𠀀 😀')
    expect(await client.call('db.pragmas', undefined as never)).toMatchObject({ journalMode: 'wal', synchronous: 2, foreignKeys: 1 })
    await client.close()
  })

  it('keeps main responsive while the worker commits (synchronous=FULL fsyncs happen off the event loop)', async () => {
    const { client } = await DbClient.open(path.join(dir, 'b.sqlite'))
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const writes = Array.from({ length: 300 }, (_, i) => client.call('audit.append', { at: i, actor: 'agent01', action: 'test', subject: null, detail: null }))
    await Promise.all(writes)
    clearInterval(timer)
    expect((await client.call('audit.recent', { limit: 1 }))[0]?.at).toBe(299)
    // The event loop kept turning during 300 durable commits.
    expect(ticks).toBeGreaterThan(5)
    await client.close()
  })

  it('rejects with a clear error when the database cannot be opened', async () => {
    const file = path.join(dir, 'future.sqlite')
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(file)
    db.pragma('user_version = 999')
    db.close()
    await expect(DbClient.open(file)).rejects.toThrow(/newer than this app supports/)
  })
})
