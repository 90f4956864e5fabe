// draftDurableP95Ms and inputLatencyP95Ms: typing into 诉求内容 in Debian's Chromium through the browser host
// (the built bundle: run `npm run build` first; `npm run bench:workbench` does).
//  - inputLatencyP95Ms: from a keystroke's input event to the start of the next frame after it was handled.
//  - draftDurableP95Ms: from a keystroke's input event to main's answer to the first drafts.save sent after it
//    (main answers once the row is written with synchronous=FULL: durable).
// Measured by a script injected into the page for the run only; the app has no bench hooks.
import { launchChromium } from '../../e2e/support/browser'
import { startHost } from '../../e2e/support/host'
import { contentBox, signIn } from '../../e2e/support/workbench'
import { p95, round } from './_stats'

const KEYS = 400
const GAP_MS = 50
const CHARS = [...'市民来电反映小区夜间施工噪音扰民已持续一周影响老人小孩休息希望相关部门尽快核实处理']

// Plain JavaScript (a string): tsx's helpers do not exist inside the page.
const PROBE = `(() => {
  const probe = { inputs: [], frames: [], saves: [] }
  window.__probe = probe
  document.addEventListener('input', (e) => {
    const t0 = e.timeStamp
    probe.inputs.push(t0)
    requestAnimationFrame(() => probe.frames.push(performance.now() - t0))
  }, true)
  const send = WebSocket.prototype.send
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"service":"drafts"') && data.includes('"method":"save"')) {
      const id = JSON.parse(data).id
      const save = { sentAt: performance.now(), ackAt: null, id }
      probe.saves.push(save)
      const onMsg = (ev) => {
        const msg = JSON.parse(String(ev.data))
        if (msg.type === 'result' && msg.id === id) {
          save.ackAt = performance.now()
          this.removeEventListener('message', onMsg)
        }
      }
      this.addEventListener('message', onMsg)
    }
    return send.call(this, data)
  }
})()`

interface Probe {
  inputs: number[]
  frames: number[]
  saves: { sentAt: number; ackAt: number | null; id: number }[]
}

export default async function typing(): Promise<Record<string, number>> {
  const host = await startHost({ args: ['--no-phone'] })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage()
    if (process.env.BENCH_DEBUG) {
      page.on('pageerror', (e) => console.error('pageerror', e.message))
      page.on('console', (m) => console.error('console', m.text()))
    }
    await page.addInitScript({ content: PROBE })
    await page.goto(host.url)
    await signIn(page)
    const box = contentBox(page)
    await box.fill('来电人称：'.repeat(200))
    await page.waitForTimeout(500)
    await box.click()
    await page.keyboard.press('Control+End')
    await page.evaluate(() => {
      const p = (window as unknown as { __probe: Probe }).__probe
      p.inputs.length = 0
      p.frames.length = 0
      p.saves.length = 0
    })
    for (let i = 0; i < KEYS; i++) {
      await page.keyboard.insertText(CHARS[i % CHARS.length]!)
      await page.waitForTimeout(GAP_MS)
    }
    await page.waitForTimeout(1000)
    const probe = await page.evaluate(() => (window as unknown as { __probe: Probe }).__probe)
    if (process.env.BENCH_DEBUG) {
      await page.screenshot({ path: '/tmp/bench-typing.png' })
      console.error(JSON.stringify(probe.saves.slice(0, 5)), await page.getByTestId('draft-status').innerText())
    }
    const durable = probe.inputs.map((t) => {
      const save = probe.saves.find((s) => s.sentAt >= t && s.ackAt !== null)
      if (!save) throw new Error(`a keystroke was never saved (${probe.inputs.length} inputs, ${probe.saves.length} saves, ${probe.saves.filter((s) => s.ackAt !== null).length} answered)`)
      return save.ackAt! - t
    })
    return { typedKeys: KEYS, draftDurableP95Ms: round(p95(durable)), inputLatencyP95Ms: round(p95(probe.frames)), draftSaves: probe.saves.length }
  } finally {
    await browser.close()
    await host.stop()
  }
}
