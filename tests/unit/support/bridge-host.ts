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
import { createCore, type Core } from '../../../src/main/core'
import { startBridgeServer, type BridgeServer } from '../../../src/main/host/bridge-server'
import { createFileLogger, type Logger } from '../../../src/main/logging'

/** Each window's own files (every one carries its bundle's marker), and a chunk both import. */
export const STAND_IN_FILES = {
  ui: {
    'renderer/index.html': '<!doctype html><title>ui</title><!-- UI-BUNDLE page -->',
    'assets/renderer-1a.js': '/* UI-BUNDLE entry */',
    'assets/renderer-1a.css': '/* UI-BUNDLE styles */'
  },
  phone: {
    'phone/index.html': '<!doctype html><title>phone</title><!-- PHONE-BUNDLE page -->',
    'assets/phone-2b.js': '/* PHONE-BUNDLE entry */',
    'assets/ring-2b.ogg': 'PHONE-BUNDLE audio'
  },
  shared: { 'assets/ws-transport-3c.js': '/* shared chunk */' }
} as const

/** Writes the stand-in bundles and the build manifest Vite would write for them. */
export function writeStandInBundles(staticDir: string): void {
  for (const group of Object.values(STAND_IN_FILES)) {
    for (const [rel, text] of Object.entries(group)) {
      fs.mkdirSync(path.dirname(path.join(staticDir, rel)), { recursive: true })
      fs.writeFileSync(path.join(staticDir, rel), text)
    }
  }
  const manifest = {
    '_ws-transport-3c.js': { file: 'assets/ws-transport-3c.js' },
    'renderer/index.html': { file: 'assets/renderer-1a.js', isEntry: true, imports: ['_ws-transport-3c.js'], css: ['assets/renderer-1a.css'] },
    'phone/index.html': { file: 'assets/phone-2b.js', isEntry: true, imports: ['_ws-transport-3c.js'], assets: ['assets/ring-2b.ogg'] }
  }
  fs.mkdirSync(path.join(staticDir, '.vite'), { recursive: true })
  fs.writeFileSync(path.join(staticDir, '.vite/manifest.json'), JSON.stringify(manifest))
}

/** A production desk whose platform is unreachable: every call is answered by the core alone. */
function unreachablePlatformConfig(dir: string) {
  return parseConfig(
    {
      profile: 'production',
      dataDir: path.join(dir, 'data'),
      platform: { url: 'http://127.0.0.1:9/' },
      sip: { wsUrl: 'ws://127.0.0.1:9', user: 'u', password: 'p', domain: 'd' },
      // No OS keyring here: the key file beside the data is allowed explicitly.
      security: { keyStorage: 'local-file' }
    },
    path.join(dir, 'config.json')
  )
}

/** The host's server with a real core over the stand-in bundles, in this process, files under `dir`. */
export async function startStandInHost(dir: string, log: Logger, now?: () => number): Promise<{ core: Core; server: BridgeServer; close(): Promise<void> }> {
  const staticDir = path.join(dir, 'static')
  writeStandInBundles(staticDir)
  const core = await createCore(unreachablePlatformConfig(dir), { kind: 'test', version: '0.0.0-test', log })
  const server = await startBridgeServer({ core, staticDir, port: 0, log, now })
  return {
    core,
    server,
    close: async () => {
      await server.close()
      await core.stop()
    }
  }
}

async function main(dir: string): Promise<void> {
  const { server, close } = await startStandInHost(dir, createFileLogger(path.join(dir, 'logs', 'host.jsonl')))
  process.on('SIGTERM', () => void close().then(() => process.exit(0)))
  console.log(`PHONE_URL=${server.phoneUrl}`)
  console.log(`HOST_URL=${server.uiUrl}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  main(process.argv[2]!).catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
