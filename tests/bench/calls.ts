// npm run bench:calls — what registering every call on the platform costs the phone, and how soon the records land.
// factUs*: the synchronous time main's phone service spends on one call fact from the phone host (ringing,
// answered, ended), with the call records attached (real SQLite outbox) and without; the platform work is queued,
// never waited for, so this is all the phone pays. ringToRecordedMs / endToClosedMs: from the fact to the change
// acknowledged by the sandbox's embedded reference platform over HTTP (through the outbox and the sync worker).
// Ends with one JSON line of figures.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { parseConfig } from '../../src/main/config/load-config'
import { createCore, type Core } from '../../src/main/core'
import { createMemoryLogger } from '../../src/main/logging'
import { DomainBus } from '../../src/main/features/bus'
import { PhoneService } from '../../src/main/phone/phone-service'
import { CallRecords, callEntityKey } from '../../src/main/phone/call-records'
import { testHub, testSnapshot } from '../../src/main/phone/test-support'
import type { CallSnapshot, PhoneFact } from '../../src/shared/phone'

const { values } = parseArgs({ options: { calls: { type: 'string', default: '200' } } })
const CALLS = Number(values.calls)
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
const round = (x: number) => Math.round(x * 1000) / 1000

/** The three facts of one answered call, as the phone host sends them. */
function factsOf(i: number, now: number): PhoneFact[] {
  const id = `bench-${i}`
  const number = `1390775${String(i).padStart(4, '0')}`
  const snaps: [CallSnapshot, CallSnapshot['state'] | null][] = [
    [testSnapshot(id, number, {}, now), 'idle'],
    [testSnapshot(id, number, { state: 'established', answeredAt: now + 1000 }, now), 'answering'],
    [testSnapshot(id, number, { state: 'terminated', answeredAt: now + 1000, endedAt: now + 5000, endedBy: 'remote' }, now), 'established']
  ]
  return snaps.map(([call, previous], k) => ({ type: 'call', seq: i * 3 + k, at: now, call, previous }))
}

/** Synchronous time per fact in PhoneService.fact, with or without call records (same facts, same database). */
async function phonePath(core: Core, withRecords: boolean): Promise<number[]> {
  const hub = testHub({ id: 'u1', username: 'agent01', displayName: 'A', roles: ['agent'], seatId: null })
  const ctx = { config: core.config, log: createMemoryLogger(), hub, session: {}, audit: { record: async () => undefined }, notify: () => undefined, bus: new DomainBus(), platform: { call: async () => ({ items: [] }) }, sendPhoneCommand: () => undefined }
  const records = withRecords ? new CallRecords({ ...ctx, db: core.db, cipher: core.cipher, outbox: core.outbox } as never) : undefined
  const svc = new PhoneService(ctx as never, { records })
  const us: number[] = []
  for (let i = 0; i < CALLS; i++) {
    for (const f of factsOf(i + (withRecords ? 100_000 : 0), Date.now())) {
      const t = performance.now()
      svc.fact(f)
      us.push((performance.now() - t) * 1000)
    }
    await new Promise((r) => setImmediate(r))
  }
  await records?.idle()
  records?.stop()
  svc.stop()
  return us
}

async function done(core: Core, key: string): Promise<number> {
  for (;;) {
    if (await core.db.call('outbox.done', { idempotencyKey: key })) return performance.now()
    await new Promise((r) => setTimeout(r, 2))
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-calls-'))
  const core = await createCore(parseConfig({ profile: 'sandbox', dataDir: path.join(dir, 'data') }, path.join(dir, 'config.json')), {
    kind: 'test',
    version: '0.0.0-bench',
    log: createMemoryLogger()
  })
  try {
    await core.session.login('agent01', 'sandbox')
    const without = await phonePath(core, false)
    const withRecords = await phonePath(core, true)
    // Through the real core: the facts by the IPC dispatcher, the records over HTTP to the embedded platform.
    const ringToRecorded: number[] = []
    const endToClosed: number[] = []
    const sample = Math.min(CALLS, 50)
    for (let i = 0; i < sample; i++) {
      const [ring, answer, end] = factsOf(200_000 + i, Date.now())
      const id = `bench-${200_000 + i}`
      const t0 = performance.now()
      await core.dispatcher.handle('phone', 'phone', 'fact', ring)
      ringToRecorded.push((await done(core, `${callEntityKey(id)}:create`)) - t0)
      await core.dispatcher.handle('phone', 'phone', 'fact', answer)
      const t1 = performance.now()
      await core.dispatcher.handle('phone', 'phone', 'fact', end)
      endToClosed.push((await done(core, `${callEntityKey(id)}:ended`)) - t1)
    }
    console.log(
      JSON.stringify({
        bench: 'calls',
        calls: CALLS,
        factUsP50: round(pct(withRecords, 0.5)),
        factUsP95: round(pct(withRecords, 0.95)),
        factUsP50WithoutRecords: round(pct(without, 0.5)),
        factUsP95WithoutRecords: round(pct(without, 0.95)),
        ringToRecordedMsP50: round(pct(ringToRecorded, 0.5)),
        ringToRecordedMsP95: round(pct(ringToRecorded, 0.95)),
        endToClosedMsP50: round(pct(endToClosed, 0.5)),
        endToClosedMsP95: round(pct(endToClosed, 0.95))
      })
    )
  } finally {
    await core.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

void main().catch((err: Error) => {
  console.error(err)
  process.exit(1)
})
