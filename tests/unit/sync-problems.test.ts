import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/main/config/load-config'
import { createCore, type Core } from '../../src/main/core'
import { createMemoryLogger } from '../../src/main/logging'
import { ticketBody, until } from '../platform/support'

/**
 * The sandbox core with its embedded reference platform: refused and conflicting
 * changes are parked, shown with the platform's reasons, and resolved only by the
 * agent's choice; what SQLite holds of them is ciphertext.
 */
let dir: string
let core: Core
const log = createMemoryLogger()

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-sync-'))
  const config = parseConfig({ profile: 'sandbox', dataDir: path.join(dir, 'data') }, path.join(dir, 'config.json'))
  core = await createCore(config, { kind: 'test', version: '0.0.0-test', log })
  await core.session.login('agent01', 'sandbox')
}, 60_000)
afterAll(async () => {
  await core.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

const user = () => core.session.currentUser()!
const problems = async () => (await core.dispatcher.handle('ui', 'sync', 'problems', {})) as { ok: true; value: { items: { seq: number; kind: string; fields: { path: string; message: string }[]; currentVersion: number | null; theirs: unknown; message: string }[] } }

describe('sync problems', () => {
  it('parks a refused ticket with the field and reason, and sends the corrected one exactly once', async () => {
    const marker = `退费纠纷-${Date.now()}-加密检查`
    const bad = ticketBody(1, { title: marker, content: marker, citizen: { name: '测试市民', phone: '' }, handlingMode: 'dispatch', dispatch: null })
    await core.outbox.enqueue('createTicket', 'ticket:new-1', { body: bad }, user().username)
    const parked = await until(async () => (await problems()).value.items.find((p) => p.kind === 'rejected'))
    expect(parked.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['dispatch']))
    expect(parked.fields.find((f) => f.path === 'dispatch')!.message).toMatch(/交办部门/)
    expect(core.hub.get('sync').rejected).toBe(1)

    // Nothing of the citizen's words is stored in clear.
    const raw = new Database(path.join(dir, 'data', 'desk.sqlite'), { readonly: true })
    const rows = raw.prepare('SELECT payload, last_error FROM outbox').all() as { payload: string; last_error: string }[]
    raw.close()
    expect(rows.length).toBe(1)
    expect(rows[0]!.payload).not.toContain('退费纠纷')
    expect(rows[0]!.payload).toContain('sealed')

    const fixed = ticketBody(1, { title: marker, content: marker })
    const r = await core.dispatcher.handle('ui', 'sync', 'resolve', { seq: parked.seq, action: 'replace', body: fixed })
    expect(r.ok).toBe(true)
    await until(async () => core.hub.get('sync').pending === 0 && core.hub.get('sync').rejected === 0)
    const list = await core.platform.call('listTickets', { query: { limit: 50 } })
    expect(list.items.filter((t) => t.title === marker)).toHaveLength(1)
  })

  it('shows a stale edit as a conflict with their version, and overwrites only when the agent says so', async () => {
    // A draft: its intake fields may still be edited.
    const created = await core.platform.call('createTicket', { body: ticketBody(2, { submit: false }) as never })
    // Someone else edits first: the platform moves to version 2.
    await core.platform.call('updateTicket', { params: { id: created.id }, body: { version: created.version, title: '班长修改的标题' } })
    // My edit was made against version 1.
    await core.outbox.enqueue('updateTicket', `ticket:${created.id}`, { params: { id: created.id }, body: { version: created.version, title: '我的标题' } }, user().username)
    const conflict = await until(async () => (await problems()).value.items.find((p) => p.kind === 'conflict'))
    expect(conflict.currentVersion).toBe(created.version + 1)
    expect((conflict.theirs as { title: string }).title).toBe('班长修改的标题')
    // Still theirs on the platform: nothing was overwritten silently.
    expect((await core.platform.call('getTicket', { params: { id: created.id } })).title).toBe('班长修改的标题')

    expect((await core.dispatcher.handle('ui', 'sync', 'resolve', { seq: conflict.seq, action: 'overwrite' })).ok).toBe(true)
    await until(async () => (await core.platform.call('getTicket', { params: { id: created.id } })).title === '我的标题')
    expect(core.hub.get('sync').conflict).toBe(0)
  })

  it('keeps a discarded change in the local record instead of losing it', async () => {
    await core.outbox.enqueue('createTicket', 'ticket:new-3', { body: ticketBody(3, { handlingMode: 'dispatch', dispatch: null }) }, user().username)
    const parked = await until(async () => (await problems()).value.items.find((p) => p.kind === 'rejected'))
    expect((await core.dispatcher.handle('ui', 'sync', 'resolve', { seq: parked.seq, action: 'discard' })).ok).toBe(true)
    expect((await problems()).value.items).toHaveLength(0)
    const raw = new Database(path.join(dir, 'data', 'desk.sqlite'), { readonly: true })
    const done = raw.prepare("SELECT response FROM outbox_done WHERE response LIKE '%discarded%'").all()
    raw.close()
    expect(done).toHaveLength(1)
  })

  it('refuses to resolve a change twice', async () => {
    const r = await core.dispatcher.handle('ui', 'sync', 'resolve', { seq: 999_999, action: 'retry' })
    expect(r.ok).toBe(false)
  })
})
