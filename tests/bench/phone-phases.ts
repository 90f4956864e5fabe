/**
 * Phase marks for bench:phone (BENCH_PHASES=1): where the time between answering and the first inbound packet
 * goes, the same way on the desk's phone host page and on the bare sip.js page. An init script wraps the page's
 * RTCPeerConnection, getUserMedia and WebSocket so each step of an answer leaves a timestamp (wall clock, so the
 * UI page's click and the phone host's marks compare).
 */
import type { Page } from 'playwright-core'

/** Page code (a string: no test-runner transform touches it). */
export const PHASE_MARKS_JS = String.raw`(() => {
  const marks = (window.__phaseMarks = [])
  const mark = (name) => { marks.push([name, performance.timeOrigin + performance.now()]) }
  const P = RTCPeerConnection.prototype
  for (const m of ['setRemoteDescription', 'createAnswer', 'setLocalDescription']) {
    const orig = P[m]
    P[m] = function (...args) {
      mark(m + ':start')
      return orig.apply(this, args).then((r) => { mark(m + ':end'); return r })
    }
  }
  const PC = window.RTCPeerConnection
  const Wrapped = function (...args) {
    mark('pc:new')
    const pc = new PC(...args)
    pc.addEventListener('icegatheringstatechange', () => mark('gather:' + pc.iceGatheringState))
    pc.addEventListener('iceconnectionstatechange', () => mark('ice:' + pc.iceConnectionState))
    pc.addEventListener('connectionstatechange', () => mark('conn:' + pc.connectionState))
    return pc
  }
  Wrapped.prototype = PC.prototype
  Wrapped.generateCertificate = PC.generateCertificate.bind(PC)
  window.RTCPeerConnection = Wrapped
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  navigator.mediaDevices.getUserMedia = (c) => { mark('gum:start'); return gum(c).then((s) => { mark('gum:end'); return s }) }
  const send = WebSocket.prototype.send
  WebSocket.prototype.send = function (d) {
    if (typeof d === 'string' && /^SIP\/2\.0 200/.test(d) && /^CSeq: \d+ INVITE/m.test(d)) mark('sent:200')
    return send.call(this, d)
  }
  const onMessage = (ev) => { if (typeof ev.data === 'string' && /^ACK /.test(ev.data)) mark('got:ACK') }
  const WS = window.WebSocket
  window.WebSocket = function (...args) { const ws = new WS(...args); ws.addEventListener('message', onMessage); return ws }
  window.WebSocket.prototype = WS.prototype
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })
})()`

const STEPS = ['gum:end', 'pc:new', 'setRemoteDescription:end', 'createAnswer:end', 'setLocalDescription:end', 'gather:complete', 'sent:200', 'got:ACK', 'ice:connected', 'conn:connected', 'firstPacket'] as const

/** Takes the page's marks since the last call, as ms after `t0` for each step (first occurrence). */
export async function takePhases(page: Page, t0: number): Promise<Record<string, number>> {
  const marks = await page.evaluate<[string, number][]>(`window.__phaseMarks.splice(0)`)
  const out: Record<string, number> = {}
  for (const [name, at] of marks) if ((STEPS as readonly string[]).includes(name) && !(name in out) && at >= t0 - 5) out[name] = Math.round((at - t0) * 10) / 10
  return out
}

/** Median per step over rounds. */
export function phaseMedians(rounds: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const step of STEPS) {
    const xs = rounds.map((r) => r[step]).filter((x): x is number => x !== undefined).sort((a, b) => a - b)
    if (xs.length) out[step] = xs[Math.floor(xs.length / 2)]!
  }
  return out
}
