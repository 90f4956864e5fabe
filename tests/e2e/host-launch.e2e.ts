import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { chromium, type Browser } from 'playwright-core'
import { CHROMIUM } from './support/browser'
import { startHost, type RunningHost } from './support/host'
import { signIn } from './support/workbench'

/**
 * `npm run host -- --open` (and `npm start` without Electron) opens the workbench
 * in a Chromium app window. Its command line is readable by every local user in
 * /proc, so it carries a one-time launch URL and no secret: the window trades the
 * launch URL for a session cookie, and the launch URL is worthless afterwards.
 */
const readArgv = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)

/** Every live process whose parent chain reaches `root` (Chromium's zygotes, renderers, GPU and network processes). */
function processTree(root: number): number[] {
  const parentOf = new Map<number, number>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // the process ended while being listed
    }
  }
  const tree = [root]
  for (let grew = true; grew; ) {
    grew = false
    for (const [pid, parent] of parentOf) {
      if (!tree.includes(parent) || tree.includes(pid)) continue
      tree.push(pid)
      grew = true
    }
  }
  return tree
}

async function until<T>(what: string, fn: () => T | null | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('browser host --open', () => {
  let host: RunningHost | undefined
  let browserPid: number | undefined
  let cdp: Browser | undefined
  after(async () => {
    await cdp?.close().catch(() => undefined)
    if (browserPid) for (const pid of processTree(browserPid).reverse()) try { process.kill(pid, 'SIGKILL') } catch { /* already gone */ }
    await host?.stop()
  })

  it('opens the workbench window from a one-time launch URL, with no token on any Chromium command line', async () => {
    host = await startHost({
      args: ['--open', '--no-phone'],
      // Headless for the test, and a DevTools port so the test can look inside the window it did not open.
      env: { CHROMIUM_PATH: CHROMIUM, DESK_OPEN_CHROMIUM_ARGS: '--headless=new --no-sandbox --disable-gpu --remote-debugging-port=0' }
    })
    const profileDir = path.join(host.dataDir, 'chromium-profile')
    const tokens = [host.url, host.output.map((l) => /^PHONE_URL=(.+)$/.exec(l)?.[1]).find(Boolean)!].map((u) => new URL(u).pathname.split('/')[1]!)
    assert.equal(tokens.length, 2)

    browserPid = await until('the app window’s Chromium', () => {
      for (const entry of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue
        try {
          const argv = readArgv(Number(entry))
          if (argv.includes(`--user-data-dir=${profileDir}`) && argv.some((a) => a.startsWith('--app='))) return Number(entry)
        } catch {
          // not ours, or gone
        }
      }
      return null
    })
    const appArg = readArgv(browserPid).find((a) => a.startsWith('--app='))!
    assert.match(appArg, new RegExp(`^--app=${host.origin}/launch/[A-Za-z0-9_-]{32}$`))

    // The window trades its launch URL for a session (the host logs it) and shows the login page.
    const hostLog = path.join(host.dataDir, 'logs', 'host.jsonl')
    await until('the launch to be used', () => fs.existsSync(hostLog) && fs.readFileSync(hostLog, 'utf8').includes('host: window launched'))
    const devtoolsPort = await until('DevToolsActivePort', () => fs.existsSync(path.join(profileDir, 'DevToolsActivePort')) && fs.readFileSync(path.join(profileDir, 'DevToolsActivePort'), 'utf8').split('\n')[0])
    cdp = await chromium.connectOverCDP(`http://127.0.0.1:${devtoolsPort}`)
    const page = await until('the app window’s page', () => cdp!.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith(host!.origin)))
    assert.equal(new URL(page.url()).pathname, '/ui/renderer/index.html')
    const [session] = await page.context().cookies(host.origin + '/ui/')
    assert.deepEqual({ name: session?.name, path: session?.path, httpOnly: session?.httpOnly, sameSite: session?.sameSite }, { name: 'desk-session', path: '/ui/', httpOnly: true, sameSite: 'Strict' })

    // Signing in goes over the bridge, which the window opens with its cookie and the host's Origin.
    await signIn(page)

    // Nothing any process of that browser was started with holds a token or the session.
    for (const pid of processTree(browserPid)) {
      let argv: string
      try {
        argv = readArgv(pid).join(' ')
      } catch {
        continue
      }
      for (const secret of [...tokens, session!.value]) assert.ok(!argv.includes(secret), `process ${pid} has a secret on its command line: ${argv.slice(0, 300)}`)
    }

    // Whoever read the launch URL from /proc is too late: it was used once and is refused now.
    const replay = await fetch(appArg.slice('--app='.length), { redirect: 'manual' })
    assert.equal(replay.status, 403)
    assert.equal(replay.headers.get('set-cookie'), null)
  })
})
