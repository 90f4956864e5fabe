/**
 * A desktop core as its own process, for fault tests that kill it with SIGKILL:
 *   desk-core.ts DATA_DIR PLATFORM_URL enqueue N   queue N tickets (printing ENQUEUED i as each is durable), then sync
 *   desk-core.ts DATA_DIR PLATFORM_URL drain       only sync what is queued
 *   desk-core.ts DATA_DIR PLATFORM_URL submit N    file N tickets through the workbench as an agent does (draft, then
 *                                                  submit with 短信告知; printing SUBMITTED i), then sync
 *   desk-core.ts DATA_DIR PLATFORM_URL settle      sync until the indicator says 已同步, print SETTLED, and die
 *                                                  with SIGKILL that instant: what it claimed done must be done
 * Prints `PENDING n` whenever the outbox count changes, `DRAINED` when it is empty (drain); `SYNC …` whenever the
 * sync state changes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { parseConfig } from '../../../src/main/config/load-config'
import { createCore } from '../../../src/main/core'
import { createMemoryLogger } from '../../../src/main/logging'
import { syncStanding } from '../../../src/shared/sync/standing'
import { faultTicket, workbenchTicket } from './fault-ticket'

const [dataDir, platformUrl, mode, count] = process.argv.slice(2) as [string, string, 'enqueue' | 'drain' | 'submit' | 'settle', string?]
const config = parseConfig(
  { profile: 'production', dataDir, platform: { url: platformUrl }, sip: { wsUrl: 'ws://127.0.0.1:9', user: 'u', password: 'p', domain: 'd' }, security: { keyStorage: 'local-file' } },
  path.join(dataDir, 'config.json')
)
/** Unbuffered, so a line printed just before a SIGKILL is not lost. */
const say = (line: string) => fs.writeSync(1, `${line}\n`)

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
    const sync = core.hub.get('sync')
    say(`SYNC pending=${sync.pending} derived=${sync.derived} parked=${sync.rejected + sync.conflict}`)
    if (mode === 'settle' && syncStanding(sync).settled) {
      say('SETTLED')
      process.kill(process.pid, 'SIGKILL')
    }
    const n = sync.pending + sync.rejected + sync.conflict
    if (n === last) return
    last = n
    say(`PENDING ${n}`)
    if (n === 0 && mode === 'drain') say('DRAINED')
  }
  core.hub.onChange((c) => {
    if (c.topic === 'sync') report()
  })
  if (mode === 'enqueue') {
    for (let i = 0; i < Number(count); i++) {
      const t = faultTicket(i)
      await core.outbox.enqueue('createTicket', `ticket:fault-${i}`, { body: t }, 'agent01')
      say(`ENQUEUED ${i}`)
    }
  }
  if (mode === 'submit') {
    const call = async (service: string, method: string, args: unknown) => {
      const r = await core.dispatcher.handle('ui', service, method, args)
      if (!r.ok) throw new Error(`${service}.${method}: ${JSON.stringify(r.error)}`)
    }
    for (let i = 0; i < Number(count); i++) {
      const id = randomUUID()
      await call('drafts', 'save', { id, callId: `call-derived-${i}`, rev: 1, fields: workbenchTicket(i) })
      await call('tickets', 'submit', { draftId: id })
      say(`SUBMITTED ${i}`)
    }
  }
  report()
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message)
  process.exit(1)
})
