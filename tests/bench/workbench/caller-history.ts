// callerHistoryP95Ms: the screen pop's local lookup (blind index → sealed rows → decrypted view) through the real
// database worker, with 1,000,000 tickets cached for 50,000 callers. Also the cache file's size.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DbClient } from '../../../src/main/db/client'
import { openDatabase } from '../../../src/main/db/database'
// Every feature's queries, and with them its tables, as the database worker loads them.
import '../../../src/main/db/operations'
import { FieldCipher } from '../../../src/main/crypto/field-cipher'
import { CallerCache } from '../../../src/main/workbench/caller-cache'
import { p95, round } from './_stats'

const TICKETS = Number(process.env.BENCH_CACHED_TICKETS ?? 1_000_000)
const PER_CALLER = 20
const LOOKUPS = 2000

export default async function callerHistory(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wb-cache-'))
  const file = path.join(dir, 'desk.sqlite')
  const cipher = new FieldCipher(crypto.randomBytes(32))
  const callers = Math.ceil(TICKETS / PER_CALLER)
  const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`
  try {
    // Load directly (one transaction); the lookups below go through the worker as the app's do.
    const { db } = openDatabase(file)
    const insert = db.prepare('INSERT INTO wb_caller_tickets(ticket_id, phone_ix, sealed) VALUES (?, ?, ?)')
    const meta = db.prepare('INSERT INTO wb_callers(phone_ix, sealed, refreshed_at) VALUES (?, ?, ?)')
    const loadStart = Date.now()
    db.transaction(() => {
      let id = 1
      for (let c = 0; c < callers; c++) {
        const ix = cipher.blindIndex(phoneOf(c), 'caller-phone')
        meta.run(ix, cipher.encryptText(JSON.stringify({ totals: { tickets: PER_CALLER, openTickets: 1, calls: 0 }, areaGuess: { district: '玉州区', town: null }, flags: { malicious: false, maliciousReason: null } })), Date.now())
        for (let k = 0; k < PER_CALLER && id <= TICKETS; k++, id++) {
          const at = new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString()
          const summary = { id, number: `YL${id}`, status: k === 0 ? 'dispatched' : 'closed', version: 1, type: 'complaint', categoryId: '01.01.01', title: `噪音扰民：小区夜间施工影响休息 ${id}`, area: { district: '玉州区', town: '名山街道' }, urgency: 'normal', channel: 'phone', deadline: null, createdAt: at, updatedAt: at }
          insert.run(id, ix, cipher.encryptText(JSON.stringify(summary)))
        }
      }
    })()
    db.close()
    const loadSeconds = (Date.now() - loadStart) / 1000

    const { client } = await DbClient.open(file)
    const cache = new CallerCache(client, cipher)
    const ms: number[] = []
    for (let i = 0; i < 200; i++) await cache.lookup(phoneOf(i * 7))
    for (let i = 0; i < LOOKUPS; i++) {
      const phone = phoneOf(Math.floor(Math.random() * callers))
      const t = performance.now()
      const view = await cache.lookup(phone)
      ms.push(performance.now() - t)
      if (!view || view.tickets.length !== PER_CALLER) throw new Error(`lookup of ${phone} found ${view?.tickets.length ?? 0} tickets`)
    }
    await client.close()
    return { cachedTickets: TICKETS, callerHistoryP95Ms: round(p95(ms)), callerCacheLoadSeconds: round(loadSeconds), callerCacheMb: round(fs.statSync(file).size / 1e6) }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
