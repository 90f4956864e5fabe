import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { Core } from '../../../src/main/core'
import type { BridgeServer } from '../../../src/main/host/bridge-server'
import type { Logger } from '../../../src/main/logging'
import { startStandInHost } from './bridge-host'

/**
 * A stand-in host for the whole test file (started before its first test, stopped
 * after its last), with `secret.txt` (SECRET-OUTSIDE) beside its bundles, where no request may reach.
 */
export function useStandInHost(log: Logger, now?: () => number): { dir: string; core: Core; server: BridgeServer } {
  const ctx = {} as { dir: string; core: Core; server: BridgeServer; close(): Promise<void> }
  beforeAll(async () => {
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-host-'))
    fs.writeFileSync(path.join(ctx.dir, 'secret.txt'), 'SECRET-OUTSIDE')
    Object.assign(ctx, await startStandInHost(ctx.dir, log, now))
  })
  afterAll(async () => {
    await ctx.close?.()
    if (ctx.dir) fs.rmSync(ctx.dir, { recursive: true, force: true })
  })
  return ctx
}
