import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { DbClient } from '../../src/main/db/client'
import { FieldCipher } from '../../src/main/crypto/field-cipher'
import { openDataKey } from '../../src/main/crypto/key-store'
import { open, seal } from '../../src/main/sync/sealed-outbox'
import { client, login, startCli, tempDataDir, until } from './support'

/**
 * What follows a ticket's number survives SIGKILL, with real processes: an agent's desk (its own process, a real
 * SQLite store) files more tickets through the workbench while the platform cannot be reached than any batch holds,
 * then drains them to the reference platform (its own process, over HTTP) and is killed with SIGKILL twice on the
 * way. A third kill comes right after the platform has numbered another 120 (more than any batch), before the desk
 * derived anything from them: the state the first reports of this defect found in the store. Afterwards every ticket is on the platform once, every citizen got one receipt SMS, every ticket was announced
 * at the desk (the assistant's feedback row), and the sync indicator said 已同步 only when all of it was done: the
 * desk kills itself the instant it says so, and nothing it left for later could happen after that.
 */
const ROOT = path.resolve(__dirname, '../..')
const DESK = path.join(__dirname, 'support-bin/desk-core.ts')
const N = 250
const children: ChildProcess[] = []
const platformData = tempDataDir('derived-platform-')
const deskData = tempDataDir('derived-desk-')

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  platformData.remove()
  deskData.remove()
})

/** The desk's network: cut (only signing in gets through) or up; counts what reached the platform. */
function link(target: string) {
  const state = { online: false, tickets: 0, sms: 0 }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (!state.online && req.url !== '/api/v1/auth/login') {
        req.socket.destroy()
        return
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>
      fetch(target + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
        .then(async (answer) => {
          const body = Buffer.from(await answer.arrayBuffer())
          if (req.method === 'POST' && req.url === '/api/v1/tickets') state.tickets++
          if (req.method === 'POST' && req.url === '/api/v1/sms/messages') state.sms++
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body)
        })
        .catch(() => req.socket.destroy())
    })
  })
  return new Promise<{ url: string; state: typeof state; close(): void }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      resolve({ url: `http://127.0.0.1:${port}`, state, close: () => server.close() })
    })
  )
}

function startDesk(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', DESK, deskData.dir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += String(d)))
  child.stderr!.on('data', (d: Buffer) => (out += String(d)))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  return {
    child,
    exited,
    output: () => out,
    async waitFor(re: RegExp, ms = 120_000) {
      const end = Date.now() + ms
      while (!re.test(out)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`desk ended (${child.exitCode ?? child.signalCode}) before ${re}: ${out.slice(-2000)}`)
        if (Date.now() > end) throw new Error(`desk never printed ${re}: ${out.slice(-2000)}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    }
  }
}

async function kill(desk: ReturnType<typeof startDesk>): Promise<void> {
  if (desk.child.exitCode === null && desk.child.signalCode === null) desk.child.kill('SIGKILL')
  await desk.exited
}

/** Every page of a platform list. */
async function all<T>(api: ReturnType<typeof client>, url: string): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  do {
    const page: { status: number; body: { items: T[]; nextCursor: string | null } } = await api('GET', `${url}${url.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`)
    expect(page.status).toBe(200)
    items.push(...page.body.items)
    cursor = page.body.nextCursor
  } while (cursor)
  return items
}

/**
 * What the sync worker records when the platform numbers the next `count` queued changes (the same request, key
 * and sealed answer), with the desk down: the store a desk killed right after those acknowledgements leaves.
 */
async function acknowledge(count: number, platformUrl: string): Promise<void> {
  const store = (await DbClient.open(path.join(deskData.dir, 'desk.sqlite'))).client
  try {
    const cipher = new FieldCipher(openDataKey(deskData.dir, { profile: 'production', storage: 'local-file' }, null).key)
    const agent = client(platformUrl, await login(platformUrl, 'agent01'))
    for (const e of await store.call('outbox.list', { limit: count })) {
      const { body } = open(cipher, e.payload) as { body: unknown }
      const res = await agent('POST', '/api/v1/tickets', body, { 'idempotency-key': e.idempotencyKey })
      expect(res.status).toBe(201)
      await store.call('outbox.ack', { seq: e.seq, response: seal(cipher, res.body), at: Date.now() })
    }
  } finally {
    await store.close()
  }
}

describe('derived changes through SIGKILL', () => {
  it('sends every receipt SMS once and announces every ticket after kills mid-drain and right after acknowledgements, and says 已同步 only then', async () => {
    const platform = await startCli(platformData.dir)
    children.push(platform.child)
    const net = await link(platform.url)

    // 1. Offline: the agent files every ticket; they wait in the desk's outbox.
    let desk = startDesk([net.url, 'submit', String(N)])
    await desk.waitFor(new RegExp(`SUBMITTED ${N - 1}\\b`), 180_000)
    await kill(desk)
    expect(net.state.tickets).toBe(0)

    // 2. Back online: killed twice while the tickets are numbered and receipts and announcements follow.
    net.state.online = true
    desk = startDesk([net.url, 'settle'])
    await until(async () => net.state.tickets >= 40, 180_000, 'tickets numbered before the first kill')
    await kill(desk)
    expect(desk.output()).not.toMatch(/SETTLED/)
    desk = startDesk([net.url, 'settle'])
    await until(async () => net.state.tickets >= 80, 180_000, 'tickets numbered before the second kill')
    await kill(desk)
    expect(desk.output()).not.toMatch(/SETTLED/)

    // 3. The platform numbers the next 120 as the sync worker sends them, and the desk dies before deriving anything.
    await acknowledge(120, platform.url)

    // 4. The last start drains; the desk dies the instant its indicator says 已同步.
    desk = startDesk([net.url, 'settle'])
    await desk.waitFor(/SETTLED/, 240_000)
    await desk.exited
    net.close()

    const api = client(platform.url, await login(platform.url, 'lead01'))
    const tickets = (await all<{ id: number; title: string }>(api, '/api/v1/tickets')).filter((t) => t.title.startsWith('派生测试-'))
    const titles = new Map<string, number>()
    for (const t of tickets) titles.set(t.title.split('：')[0]!, (titles.get(t.title.split('：')[0]!) ?? 0) + 1)
    for (let i = 0; i < N; i++) expect(titles.get(`派生测试-${i}`), `ticket ${i} on the platform once`).toBe(1)
    expect(tickets.length).toBe(N)

    const ids = new Set(tickets.map((t) => t.id))
    const receipts = (await all<{ ticketId: number | null; templateId: string }>(api, '/api/v1/sms/messages')).filter((m) => m.templateId === 'ticket_received' && ids.has(m.ticketId!))
    const perTicket = new Map<number, number>()
    for (const m of receipts) perTicket.set(m.ticketId!, (perTicket.get(m.ticketId!) ?? 0) + 1)
    expect([...ids].filter((id) => perTicket.get(id) !== 1), 'tickets without exactly one receipt SMS').toEqual([])

    // The desk's own store, as the kill left it.
    const store = new Database(path.join(deskData.dir, 'desk.sqlite'))
    try {
      const feedback = new Set(store.prepare('SELECT ticket_id FROM assistant_feedback').pluck().all() as string[])
      expect([...ids].filter((id) => !feedback.has(String(id))), 'tickets never announced (no assistant feedback row)').toEqual([])
      expect(store.prepare('SELECT count(*) FROM wb_submissions WHERE announced = 0').pluck().get()).toBe(0)
      expect(store.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0)
    } finally {
      store.close()
    }
  }, 600_000)
})
