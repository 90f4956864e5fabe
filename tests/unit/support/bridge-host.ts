/**
 * The browser host's server in a process of its own, for tests that must see
 * whether the host survives: a real core (production profile, platform
 * unreachable) behind startBridgeServer, with two small stand-in bundles.
 * `node --import tsx tests/unit/support/bridge-host.ts DIR` prints HOST_URL= and
 * PHONE_URL= when ready and logs to DIR/logs/host.jsonl.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseConfig } from '../../../src/main/config/load-config'
import { createCore } from '../../../src/main/core'
import { startBridgeServer } from '../../../src/main/host/bridge-server'
import { createFileLogger } from '../../../src/main/logging'

export const UI_PAGE = '<!doctype html><title>ui</title><p>renderer bundle</p>'
export const PHONE_PAGE = '<!doctype html><title>phone</title><p>phone bundle</p>'

export function writeStandInBundles(staticDir: string): void {
  fs.mkdirSync(path.join(staticDir, 'renderer'), { recursive: true })
  fs.mkdirSync(path.join(staticDir, 'phone'), { recursive: true })
  fs.writeFileSync(path.join(staticDir, 'renderer/index.html'), UI_PAGE)
  fs.writeFileSync(path.join(staticDir, 'phone/index.html'), PHONE_PAGE)
}

/** A production desk whose platform is unreachable: every call is answered by the core alone. */
export function unreachablePlatformConfig(dir: string) {
  return parseConfig(
    {
      profile: 'production',
      dataDir: path.join(dir, 'data'),
      platform: { url: 'http://127.0.0.1:9/' },
      sip: { wsUrl: 'ws://127.0.0.1:9', user: 'u', password: 'p', domain: 'd' }
    },
    path.join(dir, 'config.json')
  )
}

async function main(dir: string): Promise<void> {
  const staticDir = path.join(dir, 'static')
  writeStandInBundles(staticDir)
  const config = unreachablePlatformConfig(dir)
  const log = createFileLogger(path.join(dir, 'logs', 'host.jsonl'))
  const core = await createCore(config, { kind: 'test', version: '0.0.0-test', log })
  const server = await startBridgeServer({ core, staticDir, resourcesDir: path.join(dir, 'none'), port: 0, log })
  process.on('SIGTERM', () => void server.close().then(() => core.stop()).then(() => process.exit(0)))
  console.log(`PHONE_URL=${server.phoneUrl}`)
  console.log(`HOST_URL=${server.uiUrl}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  main(process.argv[2]!).catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
