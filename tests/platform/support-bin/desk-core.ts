/**
 * A desktop core as its own process, for fault tests that kill it with SIGKILL:
 *   desk-core.ts DATA_DIR PLATFORM_URL enqueue N   queue N tickets (printing ENQUEUED i as each is durable), then sync
 *   desk-core.ts DATA_DIR PLATFORM_URL drain       only sync what is queued
 * Prints `PENDING n` whenever the outbox count changes, `DRAINED` when it is empty.
 */
import path from 'node:path'
import { parseConfig } from '../../../src/main/config/load-config'
import { createCore } from '../../../src/main/core'
import { createMemoryLogger } from '../../../src/main/logging'
import { faultTicket } from './fault-ticket'

const [dataDir, platformUrl, mode, count] = process.argv.slice(2) as [string, string, 'enqueue' | 'drain', string?]
const config = parseConfig(
  { profile: 'production', dataDir, platform: { url: platformUrl }, sip: { wsUrl: 'ws://127.0.0.1:9', user: 'u', password: 'p', domain: 'd' } },
  path.join(dataDir, 'config.json')
)
async function main(): Promise<void> {
  const core = await createCore(config, { kind: 'test', version: '0.0.0-fault', log: createMemoryLogger() })

  // Through a faulty link even signing in may take a few tries.
  for (;;) {
    try {
      await core.session.login('agent01', 'sandbox')
      break
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  let last = -1
  const report = () => {
    const { pending, rejected, conflict } = core.hub.get('sync')
    const n = pending + rejected + conflict
    if (n === last) return
    last = n
    console.log(`PENDING ${n}`)
    if (n === 0 && mode === 'drain') console.log('DRAINED')
  }
  core.hub.onChange((c) => {
    if (c.topic === 'sync') report()
  })
  if (mode === 'enqueue') {
    for (let i = 0; i < Number(count); i++) {
      const t = faultTicket(i)
      await core.outbox.enqueue('createTicket', `ticket:fault-${i}`, { body: t }, 'agent01')
      console.log(`ENQUEUED ${i}`)
    }
  }
  report()
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message)
  process.exit(1)
})
