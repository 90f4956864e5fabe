// npm run bench:sync — the desktop's outbox and the platform at scale, on loopback in a network namespace.
// drain1000Seconds: 1,000 tickets filed while the platform is down, drained once it is back (from the moment it
// is listening again, so it includes the desk noticing); plus caller history and createTicket at 1,000,000
// stored tickets. Ends with one JSON line of figures.
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { ChildProcess } from 'node:child_process'
import { parseConfig } from '../../src/main/config/load-config'
import { createCore } from '../../src/main/core'
import { createMemoryLogger } from '../../src/main/logging'
import { client, login, startCli, tempDataDir } from '../platform/support'
import { faultTicket } from '../platform/support-bin/fault-ticket'
import { platformAtScale } from './sync-platform-caller-history'

const { values } = parseArgs({ options: { tickets: { type: 'string', default: '1000000' }, queued: { type: 'string', default: '1000' } } })
const QUEUED = Number(values.queued)
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!
const round = (x: number) => Math.round(x * 1000) / 1000

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

async function drainAfterOutage() {
  const platformData = tempDataDir('bench-sync-platform-')
  const deskData = tempDataDir('bench-sync-desk-')
  let platform = await startCli(platformData.dir)
  const port = Number(new URL(platform.url).port)
  const config = parseConfig(
    { profile: 'production', dataDir: deskData.dir, platform: { url: platform.url }, sip: { wsUrl: 'ws://127.0.0.1:9', user: 'u', password: 'p', domain: 'd' }, security: { keyStorage: 'local-file' } },
    path.join(deskData.dir, 'config.json')
  )
  const core = await createCore(config, { kind: 'test', version: '0.0.0-bench', log: createMemoryLogger() })
  try {
    await core.session.login('agent01', 'sandbox')
    await stop(platform.child)
    // The agent keeps filing while the platform is down: each is durable locally before the form is cleared.
    const enqueueMs: number[] = []
    for (let i = 0; i < QUEUED; i++) {
      const t = performance.now()
      await core.outbox.enqueue('createTicket', `ticket:bench-${i}`, { body: faultTicket(i) }, 'agent01')
      enqueueMs.push(performance.now() - t)
    }
    const restarted = performance.now()
    platform = await startCli(platformData.dir, port)
    const listening = performance.now()
    let firstSent: number | null = null
    while (core.hub.get('sync').pending > 0) {
      if (firstSent === null && core.hub.get('sync').pending < QUEUED) firstSent = performance.now()
      await new Promise((r) => setTimeout(r, 10))
    }
    const drained = performance.now()
    const api = client(platform.url, await login(platform.url, 'lead01'))
    const filed = (await api('GET', '/api/v1/callers/13966660000/history')).body.totals.tickets as number
    if (filed !== QUEUED) throw new Error(`expected ${QUEUED} tickets on the platform, found ${filed}`)
    return {
      queued: QUEUED,
      enqueueP95Ms: round(p95(enqueueMs)),
      platformRestartSeconds: round((listening - restarted) / 1000),
      drain1000Seconds: round((drained - listening) / 1000),
      drainAfterFirstSendSeconds: round((drained - (firstSent ?? listening)) / 1000),
      drainRatePerSecond: Math.round(QUEUED / ((drained - (firstSent ?? listening)) / 1000))
    }
  } finally {
    await core.stop()
    if (platform.child.exitCode === null) await stop(platform.child)
    platformData.remove()
    deskData.remove()
  }
}

async function main() {
  const drain = await drainAfterOutage()
  console.error(`drain: ${JSON.stringify(drain)}`)
  const scale = await platformAtScale(Number(values.tickets), 500)
  console.log(JSON.stringify({ ...drain, ...scale }))
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message)
  process.exit(1)
})
