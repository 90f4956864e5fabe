import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { client, login, startCli, tempDataDir } from './support'
import { faultTicket } from './support-bin/fault-ticket'

/**
 * Exactly-once end to end, with real processes: a desktop core (its own process,
 * outbox in a real SQLite file) files tickets to the reference platform (its own
 * process) through a faulty link that answers some createTicket calls with 503
 * and drops others' answers after the platform committed them. Meanwhile the
 * core is killed with SIGKILL twice mid-sync, and the platform once. Afterwards
 * every ticket exists once on the platform, with exactly the content typed.
 */
const ROOT = path.resolve(__dirname, '../..')
const DESK = path.join(__dirname, 'support-bin/desk-core.ts')
const N = 150
const children: ChildProcess[] = []
const platformData = tempDataDir('fault-platform-')
const deskData = tempDataDir('fault-desk-')

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  platformData.remove()
  deskData.remove()
})

/** The link between desk and platform. Deterministic: every 7th createTicket gets a 503, every 4th loses its answer. */
function faultyLink(target: () => string) {
  let n = 0
  const stats = { forwarded: 0, unavailable: 0, dropped: 0 }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const isCreate = req.method === 'POST' && req.url === '/api/v1/tickets'
      const i = isCreate ? ++n : 0
      if (isCreate && i % 7 === 0) {
        stats.unavailable++
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unavailable', message_zh: '平台繁忙', message_en: 'busy' }))
        return
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>
      fetch(target() + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
        .then(async (answer) => {
          const body = Buffer.from(await answer.arrayBuffer())
          if (isCreate && i % 4 === 0) {
            // The platform committed; the desk never hears about it.
            stats.dropped++
            req.socket.destroy()
            return
          }
          stats.forwarded++
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body)
        })
        .catch(() => req.socket.destroy())
    })
  })
  return new Promise<{ url: string; stats: typeof stats; close(): void }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      resolve({ url: `http://127.0.0.1:${port}`, stats, close: () => server.close() })
    })
  )
}

function startDesk(args: string[]): { child: ChildProcess; waitFor(re: RegExp, ms?: number): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', DESK, deskData.dir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += String(d)))
  child.stderr!.on('data', (d: Buffer) => (out += String(d)))
  return {
    child,
    async waitFor(re, ms = 60_000) {
      const end = Date.now() + ms
      while (!re.test(out)) {
        if (child.exitCode !== null) throw new Error(`desk exited ${child.exitCode}: ${out.slice(-2000)}`)
        if (Date.now() > end) throw new Error(`desk never printed ${re}: ${out.slice(-2000)}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    }
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await exited
}

describe('desktop outbox under faults', () => {
  it('files every ticket exactly once with its exact content through 503s, lost answers and SIGKILLs of desk and platform', async () => {
    let platform = await startCli(platformData.dir)
    children.push(platform.child)
    const link = await faultyLink(() => platform.url)

    // 1. Queue every ticket, and kill the desk while it is still syncing.
    let desk = startDesk([link.url, 'enqueue', String(N)])
    await desk.waitFor(new RegExp(`ENQUEUED ${N - 1}\\b`))
    await desk.waitFor(/PENDING (1[0-3]\d|[1-9]\d)\b/) // part of the way through
    await kill(desk.child)

    // 2. Restart it; kill the platform mid-drain and bring it back on a new port.
    desk = startDesk([link.url, 'drain'])
    await desk.waitFor(/PENDING \d+/)
    await kill(platform.child)
    platform = await startCli(platformData.dir)
    children.push(platform.child)

    // 3. Kill the desk once more, then let it finish.
    await new Promise((r) => setTimeout(r, 300))
    await kill(desk.child)
    desk = startDesk([link.url, 'drain'])
    await desk.waitFor(/DRAINED/, 120_000)
    await kill(desk.child)

    expect(link.stats.unavailable).toBeGreaterThan(0)
    expect(link.stats.dropped).toBeGreaterThan(0)

    // Straight to the platform, not through the faulty link.
    const api = client(platform.url, await login(platform.url, 'lead01'))
    const found = new Map<string, { id: number; count: number }>()
    let cursor: string | null = null
    do {
      const page: { body: { items: { id: number; title: string }[]; nextCursor: string | null } } = await api('GET', `/api/v1/tickets?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
      for (const t of page.body.items) {
        if (!t.title.startsWith('故障测试-')) continue
        const seen = found.get(t.title)
        found.set(t.title, { id: t.id, count: (seen?.count ?? 0) + 1 })
      }
      cursor = page.body.nextCursor
    } while (cursor)
    for (let i = 0; i < N; i++) {
      const t = found.get(`故障测试-${i}`)
      expect(t, `ticket ${i} exists`).toBeDefined()
      expect(t!.count, `ticket ${i} exactly once`).toBe(1)
      expect((await api('GET', `/api/v1/tickets/${t!.id}`)).body.content).toBe(faultTicket(i).content)
    }
    expect(found.size).toBe(N)
    link.close()
  }, 240_000)
})
