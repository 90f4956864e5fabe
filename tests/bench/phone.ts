/**
 * bench:phone — the softphone's speed on a real rig (Kamailio + rtpengine, loopback namespace):
 * - ringToCardP95Ms: INVITE accepted by the phone host's stack (the call's startedAt) → the
 *   caller card (region 来电信息) painted in the UI window (MutationObserver + next frame), p95;
 * - answerToMediaMs: 接听 clicked in the UI → first inbound RTP byte at the phone host (median);
 * - bareAnswerToMediaMs: the same for a bare sip.js page answering in the same run (median);
 * - answerToMediaRatio = answerToMediaMs / bareAnswerToMediaMs (goal ≤ 1.1).
 * Prints one JSON line.
 *
 * The first packet's arrival is worked out from the stats report (Chromium caches getStats for 50 ms; see
 * firstPacketAt in src/shared/phone/quality.ts), the same way for the desk and the bare page.
 *
 * Two machines on two cores: the citizen's side (Kamailio, rtpengine and the calling Chromium) runs on CPU 1 and
 * the agent's PC (the desk: main, phone host and UI; and the bare sip.js page it is compared with) on CPU 0, so the
 * caller's own work is not slowed by whichever agent is answering. With one CPU, everything shares it (`pinned`).
 * On the agent's side, as in the Electron app, one Chromium holds the phone host page and the UI page (and the bare
 * page), beside main in Node.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { launchChromium } from '../e2e/support/browser'
import { startRig } from '../rig/rig'
import { bare, serveBarePage } from '../phone/support/bare-page'
import { startDesk } from '../phone/support/desk-setup'
import { cpuDelta, cpuMedians, cpuSnapshot } from './cpu-window'
import { PHASE_MARKS_JS, phaseMedians, takePhases } from './phone-phases'

const RING_ROUNDS = Number(process.env.BENCH_RING_ROUNDS ?? 20)
const MEDIA_ROUNDS = Number(process.env.BENCH_MEDIA_ROUNDS ?? 11)
/** BENCH_PHASES=1: also print where the answer's time goes, step by step, for the desk and the bare page. */
const PHASES = process.env.BENCH_PHASES === '1'
const ANSWER_AFTER_MS = 1000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!
const round1 = (x: number) => Math.round(x * 10) / 10

async function main(): Promise<void> {
  // tests/bench/run.mjs runs this under `unshare --net`: when loopback is the only interface, tell the rig so.
  if (Object.keys(os.networkInterfaces()).every((name) => name === 'lo')) process.env.RIG_IN_NETNS = '1'
  // Processes inherit the CPU set of the one that starts them: start the citizen's side pinned to CPU 1, then the
  // agent's side pinned to CPU 0.
  const pinned = os.cpus().length >= 2 && pinTo(1)
  const rig = await startRig({ runDir: fs.mkdtempSync(path.join(os.tmpdir(), 'rig-bench-')), auth: true, rtpengine: true })
  const callerBrowser = await launchChromium()
  if (pinned) pinTo(0)
  const browser = await launchChromium()
  const server = await serveBarePage()
  // Laid out as the Electron app is: one Chromium holding both the hidden phone-host page and the UI window (the
  // browser host's default, a second headless Chromium just for the phone host, is a development convenience).
  const { host, ui, bridge, phone } = await startDesk(rig, browser, '1001', { phoneInPage: true, ...(PHASES ? { phoneInitScript: PHASE_MARKS_JS } : {}) })
  try {
    const caller = await callerBrowser.newPage()
    await caller.goto(server.url)
    await bare(caller, 'start', '1002', rig.users['1002'], rig.wsUrl, rig.domain)
    const bareAgent = await browser.newPage()
    if (PHASES) await bareAgent.addInitScript(PHASE_MARKS_JS)
    await bareAgent.goto(server.url)
    await bare(bareAgent, 'start', '1003', rig.users['1003'], rig.wsUrl, rig.domain)
    const card = ui.getByRole('region', { name: '来电信息' })
    const state = () => bridge.state()
    const callerEnded = async (i: number) => {
      for (let n = 0; n < 100 && (await bare<{ state: string }>(caller, 'inbound', i)).state !== 'Terminated'; n++) await sleep(50)
    }

    // Ringing → caller card.
    const ring: number[] = []
    for (let r = 0; r < RING_ROUNDS; r++) {
      // A string, not a function: tsx would wrap named helpers in __name(), which the page does not have.
      const painted = ui.evaluate<number>(`new Promise((resolve) => {
        const seen = () => document.querySelector('[aria-label="来电信息"]')
        const done = () => requestAnimationFrame(() => resolve(Date.now()))
        if (seen()) return done()
        const mo = new MutationObserver(() => { if (seen()) { mo.disconnect(); done() } })
        mo.observe(document.body, { childList: true, subtree: true })
      })`)
      const i = await bare<number>(caller, 'call', '1001')
      const paintedAt = await painted
      const call = (await state()).phone.calls.find((c) => c.direction === 'inbound')!
      ring.push(paintedAt - call.startedAt)
      await bridge.call('phone', 'reject', { callId: call.callId })
      await card.waitFor({ state: 'detached' })
      await callerEnded(i)
    }

    // Answer → first inbound RTP: the desk (click in the UI) and a bare sip.js page, interleaved.
    const desk: number[] = []
    const bareMs: number[] = []
    const deskPhases: Record<string, number>[] = []
    const barePhases: Record<string, number>[] = []
    const deskCpu: Record<string, number>[] = []
    const bareCpu: Record<string, number>[] = []
    for (let r = 0; r < MEDIA_ROUNDS; r++) {
      const i = await bare<number>(caller, 'call', '1001')
      await card.filter({ hasText: '来电振铃' }).waitFor()
      // The agent answers a second after the card shows, as a person does (the desk's work at ringing, e.g.
      // preparing the answer and registering the call with the platform, is done by then); the bare page waits
      // the same.
      await sleep(ANSWER_AFTER_MS)
      const cpu0 = PHASES ? cpuSnapshot() : null
      const clickedAt: number = await ui.evaluate<number>(`(() => {
        const b = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === '接听')
        const t = Date.now()
        b.click()
        return t
      })()`)
      // Nothing asks the desk anything while it answers (the first packet's time is worked out afterwards from
      // the stats report, so reading it later changes nothing): polling main's state would take CPU from the answer.
      await sleep(Math.max(0, clickedAt + 500 - Date.now()))
      if (cpu0) deskCpu.push(cpuDelta(cpu0, cpuSnapshot()))
      let first: number | null = null
      for (let n = 0; n < 200 && first === null; n++) {
        const q = (await state()).phone.quality.find((s) => s.firstMediaAt)
        first = q?.firstMediaAt ?? null
        if (first === null) await sleep(50)
      }
      if (first !== null) desk.push(first - clickedAt)
      if (PHASES && phone && first !== null) deskPhases.push({ ...(await takePhases(phone, clickedAt)), firstPacket: first - clickedAt })
      await bare(caller, 'hangup', i)
      await card.waitFor({ state: 'detached' })
      await callerEnded(i)
      await bridge.call('phone', 'setReady', {})

      const j = await bare<number>(caller, 'call', '1003')
      for (let n = 0; n < 100 && (await bare<number>(bareAgent, 'count')) <= r; n++) await sleep(20)
      await sleep(ANSWER_AFTER_MS)
      const cpu1 = PHASES ? cpuSnapshot() : null
      const t1 = Date.now()
      const ms = await bare<number>(bareAgent, 'answerTimed')
      if (cpu1) {
        await sleep(Math.max(0, t1 + 500 - Date.now()))
        bareCpu.push(cpuDelta(cpu1, cpuSnapshot()))
      }
      if (ms >= 0) bareMs.push(ms)
      if (PHASES && ms >= 0) {
        const t0 = await bareAgent.evaluate<number>('window.__answeredAt')
        barePhases.push({ ...(await takePhases(bareAgent, t0)), firstPacket: ms })
      }
      await bare(caller, 'hangup', j)
      await callerEnded(j)
    }
    if (PHASES) console.log(JSON.stringify({ phases: { desk: phaseMedians(deskPhases), bare: phaseMedians(barePhases) }, cpuMsIn500ms: { desk: cpuMedians(deskCpu), bare: cpuMedians(bareCpu) } }))
    const answerToMediaMs = median(desk)
    const bareAnswerToMediaMs = median(bareMs)
    console.log(
      JSON.stringify({
        bench: 'phone',
        ringToCardP95Ms: round1(p95(ring)),
        ringToCardMedianMs: round1(median(ring)),
        answerToMediaMs: round1(answerToMediaMs),
        bareAnswerToMediaMs: round1(bareAnswerToMediaMs),
        answerToMediaRatio: Math.round((answerToMediaMs / bareAnswerToMediaMs) * 100) / 100,
        rounds: { ring: ring.length, desk: desk.length, bare: bareMs.length },
        pinned
      })
    )
  } finally {
    bridge.close()
    await browser.close()
    await callerBrowser.close()
    await host.stop()
    await server.close()
    await rig.stop()
  }
}

/** Pins this process (every thread) to one CPU; what it starts from now on inherits that. */
function pinTo(cpu: number): boolean {
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' }).status === 0
}

main().catch((err: Error) => {
  console.error(err)
  process.exit(1)
})
