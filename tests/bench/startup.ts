/**
 * `npm run bench:startup`: browser-host cold start to an interactive workbench,
 * and the renderer bundle's size. Runs in a loopback-only network namespace
 * (via tests/e2e/run.mjs conventions) and prints one JSON line last.
 *   hostReadyMs: spawn → HOST_URL printed (core, database, sandbox platform, phone host up)
 *   interactiveMs: spawn → login form usable in Chromium
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { launchChromium } from '../e2e/support/browser'
import { ROOT, startHost } from '../e2e/support/host'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)

/** What the UI window loads: the assets its index.html references (not the phone host's code or the sandbox voices). */
function bundleSizes() {
  const html = fs.readFileSync(path.join(ROOT, 'out/renderer/renderer/index.html'), 'utf8')
  const files = new Set([...html.matchAll(/(?:src|href)="[^"]*?(assets\/[^"]+)"/g)].map((m) => m[1]!))
  let raw = 0
  let gzip = 0
  for (const f of files) {
    const buf = fs.readFileSync(path.join(ROOT, 'out/renderer', f))
    raw += buf.length
    gzip += zlib.gzipSync(buf, { level: 9 }).length
  }
  return { rendererBytes: raw, rendererGzipBytes: gzip }
}

async function main() {
  const browser = await launchChromium()
  const ready: number[] = []
  const interactive: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    const host = await startHost()
    ready.push(performance.now() - t0)
    const page = await browser.newPage()
    await page.goto(host.url)
    await page.getByRole('button', { name: '登录' }).waitFor()
    interactive.push(performance.now() - t0)
    await page.close()
    await host.stop()
  }
  await browser.close()
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  console.log(JSON.stringify({ runs: RUNS, hostReadyMs: Math.round(median(ready)), interactiveMs: Math.round(median(interactive)), ...bundleSizes() }))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
