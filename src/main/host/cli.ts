import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config/load-config'
import { createCore } from '../core'
import { KeyStorageError } from '../crypto/key-store'
import { createFileLogger } from '../logging'
import { startBridgeServer } from './bridge-server'
import { appWindowArgs, findChromium } from './chromium'
import { launchPhonePage } from './phone-page'

/**
 * `npm run host -- [--config FILE] [--port N]`: runs the desktop's core in plain
 * Node and serves the same UI and phone-host bundles to Chromium on 127.0.0.1.
 * Prints `HOST_URL=…` (the UI, token included) when ready.
 */
const USAGE = `用法 usage: npm run host -- [--config FILE] [--port N] [--data-dir DIR] [--no-phone] [--open]
  --config FILE   配置文件 (JSON)；缺省为培训沙箱 (default: the training sandbox)
  --port N        监听端口 (default 0: any free port), always on 127.0.0.1
  --data-dir DIR  覆盖数据目录 (override dataDir)
  --no-phone      不启动话机宿主页面 (do not launch the headless phone host)
  --open          用 Chromium 打开工作台窗口 (open the workbench in a Chromium app window)`

function projectRoot(): string {
  let dir = __dirname
  while (dir !== path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    dir = path.dirname(dir)
  }
  return process.cwd()
}

const flagsFromEnv = (name: string) => (process.env[name] ?? '').split(/\s+/).filter(Boolean)

async function main(): Promise<void> {
  let args
  try {
    args = parseArgs({
      options: {
        config: { type: 'string' },
        port: { type: 'string', default: '0' },
        'data-dir': { type: 'string' },
        'no-phone': { type: 'boolean', default: false },
        open: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false }
      }
    }).values
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  if (args.help) {
    console.log(USAGE)
    return
  }
  const port = Number(args.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: 必须是 0–65535 的整数 (must be an integer 0–65535), got ${args.port}`)
    process.exit(2)
  }

  let config
  try {
    config = loadConfig(args.config, args['data-dir'] ? { dataDir: path.resolve(args['data-dir']) } : {})
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(2)
    }
    throw err
  }

  const root = projectRoot()
  const staticDir = fs.existsSync(path.join(__dirname, '../renderer/renderer/index.html')) ? path.join(__dirname, '../renderer') : path.join(root, 'out/renderer')
  if (!fs.existsSync(path.join(staticDir, 'renderer/index.html')) || !fs.existsSync(path.join(staticDir, '.vite/manifest.json'))) {
    console.error(`找不到界面包 (UI bundle not found) in ${staticDir}: run \`npm run build\` first`)
    process.exit(2)
  }
  const log = createFileLogger(path.join(config.dataDir, 'logs', 'host.jsonl'))
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  const core = await createCore(config, { kind: 'browser-host', version: pkg.version, log })
  const server = await startBridgeServer({ core, staticDir, port, log })

  const chromiumPath = findChromium()
  let phone: Awaited<ReturnType<typeof launchPhonePage>> | null = null
  if (!args['no-phone']) {
    if (!chromiumPath) {
      console.error('未找到 Chromium，话机宿主未启动 (no Chromium found; phone host not started). Install it: apt-get install chromium')
    } else {
      // DESK_PHONE_CHROMIUM_ARGS: extra flags for the phone host's Chromium, e.g. a test SIP server's
      // --ignore-certificate-errors-spki-list (the browser host is for development and tests).
      const extraArgs = flagsFromEnv('DESK_PHONE_CHROMIUM_ARGS')
      phone = await launchPhonePage({ url: server.phoneUrl, executablePath: chromiumPath, fakeMedia: config.profile === 'sandbox', log, extraArgs })
      core.supervisor.attach(phone)
    }
  }

  let stopping = false
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    await phone?.close()
    await server.close()
    await core.stop()
    process.exit(code)
  }
  process.on('SIGINT', () => void stop(0))
  process.on('SIGTERM', () => void stop(0))

  // Without its own phone page the host says where one can be opened (a developer's browser, the device tests).
  if (args['no-phone']) console.log(`PHONE_URL=${server.phoneUrl}`)
  console.log(`HOST_URL=${server.uiUrl}`)
  if (args.open && chromiumPath) {
    const { spawn } = await import('node:child_process')
    // DESK_OPEN_CHROMIUM_ARGS: extra flags for the workbench window (the tests run it headless).
    const argv = appWindowArgs({ profileDir: path.join(config.dataDir, 'chromium-profile'), launchUrl: server.launchUrl('ui'), extraArgs: flagsFromEnv('DESK_OPEN_CHROMIUM_ARGS') })
    spawn(chromiumPath, argv, { stdio: 'ignore', detached: true }).unref()
  }
}

main().catch((err) => {
  // A data key this desk may not open or create here: the message says what to do, a stack trace would not.
  if (err instanceof KeyStorageError) {
    console.error(`启动失败 (start failed): ${err.message}`)
    process.exit(2)
  }
  console.error(`启动失败 (start failed): ${(err as Error).stack ?? err}`)
  process.exit(1)
})
