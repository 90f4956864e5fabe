// Caller history (screen pop) and createTicket at 1,000,000 stored tickets, over
// real HTTP on 127.0.0.1. Prints one JSON line of figures.
// Run: npx tsx tests/bench/sync-platform-caller-history.ts [--tickets 1000000]; part of `npm run bench:sync`.
import { parseArgs } from 'node:util'
import { createPlatform } from '../../src/platform/platform'
import { client, login, tempDataDir, ticketBody } from '../platform/support'

const PHONES = 200_000

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!
const round = (x: number) => Math.round(x * 1000) / 1000

/** Caller history and createTicket figures with TOTAL generated tickets stored. */
export async function platformAtScale(TOTAL: number, SAMPLES: number) {
  const data = tempDataDir('platform-bench-')
  const platform = createPlatform({ dataDir: data.dir, profile: 'sandbox', seed: 'sandbox' })
  try {
    const db = platform.context.db
    // Bulk-load generated tickets straight into SQLite (the API path is measured below).
    const fillStarted = performance.now()
    const insert = db.prepare(
      `INSERT INTO tickets (number, status, version, type, category_id, district, town, address, title, content, urgency, confidential, anonymous,
         citizen_name, citizen_phone, channel, handling_mode, created_by, created_at, updated_at)
       VALUES (?, ?, 1, 'consult', '04.01.01', '玉州区', '名山街道', '人民路', '批量生成工单', '批量生成的历史工单内容，用于性能测试。', 'normal', 0, 0, '市民', ?, 'phone', 'direct_answer', 'agent01', ?, ?)`
    )
    const start = Date.now() - 365 * 86400_000
    const base = (db.prepare('SELECT coalesce(max(id), 0) AS m FROM tickets').get() as { m: number }).m
    const BATCH = 50_000
    for (let done = 0; done < TOTAL; done += BATCH) {
      db.transaction(() => {
        for (let i = done; i < Math.min(TOTAL, done + BATCH); i++) {
          const at = new Date(start + (i / TOTAL) * 365 * 86400_000).toISOString()
          insert.run(`BENCH${base + i + 1}`, i % 7 === 0 ? 'dispatched' : 'closed', `138${String((i * 7919) % PHONES).padStart(8, '0')}`, at, at)
        }
      })()
    }
    const fillSeconds = (performance.now() - fillStarted) / 1000
    const url = await platform.listen(0, '127.0.0.1')
    const api = client(url, await login(url, 'agent01'))
    // Warm-up (connection, JIT, statement cache) is not part of the figure; first-touch pages are.
    for (let i = 0; i < 50; i++) await api('GET', `/api/v1/callers/139${String(i).padStart(8, '0')}/history`)
    const historyMs: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const phone = `138${String((i * 104729) % PHONES).padStart(8, '0')}`
      const t = performance.now()
      const res = await api('GET', `/api/v1/callers/${phone}/history`)
      historyMs.push(performance.now() - t)
      if (res.status !== 200 || res.body.totals.tickets < 1) throw new Error(`bad history answer ${res.status}`)
    }
    const createMs: number[] = []
    const body = ticketBody(0)
    for (let i = 0; i < 200; i++) {
      const t = performance.now()
      const res = await api('POST', '/api/v1/tickets', { ...body, title: `基准 ${i}` }, { 'idempotency-key': `bench-create-${i}` })
      createMs.push(performance.now() - t)
      if (res.status !== 201) throw new Error(`createTicket ${res.status}`)
    }
    const count = (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n
    return {
      ticketsStored: count,
      fillSeconds: round(fillSeconds),
      callerHistoryP95Ms: round(p95(historyMs)),
      callerHistoryMedianMs: round([...historyMs].sort((a, b) => a - b)[historyMs.length >> 1]!),
      createTicketP95Ms: round(p95(createMs)),
      samples: SAMPLES
    }
  } finally {
    await platform.close()
    data.remove()
  }
}

if (process.argv[1]?.endsWith('sync-platform-caller-history.ts')) {
  const { values } = parseArgs({ options: { tickets: { type: 'string', default: '1000000' }, samples: { type: 'string', default: '500' } } })
  void platformAtScale(Number(values.tickets), Number(values.samples)).then((r) => console.log(JSON.stringify(r)))
}
