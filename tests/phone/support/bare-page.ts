/**
 * A bare sip.js page in Chromium: the callers of the media tests and the
 * "bare sip.js" agent the benchmark compares the desk with. sip.js is bundled
 * with esbuild (already installed with vite) and served from 127.0.0.1 (a secure
 * context, so getUserMedia works with Chromium's fake devices).
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { build } from 'esbuild'
import type { Page } from 'playwright-core'

const ROOT = path.resolve(__dirname, '../../..')

/**
 * Page code (plain JS text, so no test-runner transform touches it): the power of one frequency in
 * samples [from, to) of `x` (Goertzel), normalised so a full-scale sine is about 0.25 whatever the length.
 */
export const GOERTZEL_JS = String.raw`
function goertzelPower(x, from, to, hz, rate) {
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate)
  let s1 = 0
  let s2 = 0
  for (let j = from; j < to; j++) {
    const s0 = x[j] + k * s1 - s2
    s2 = s1
    s1 = s0
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / ((to - from) * (to - from))
}
`

const HELPER = GOERTZEL_JS + String.raw`
window.bare = (() => {
  const S = window.SIP
  let ua = null
  let domain = ''
  const sessions = []
  const infos = []
  let autoAnswer = false
  function watch(s) {
    sessions.push(s)
    s.delegate = { onInfo: (i) => { infos.push(i.request.body || ''); i.accept() } }
    s.stateChange.addListener((st) => { if (st === 'Established') attach(s) })
    return sessions.length - 1
  }
  function attach(s) {
    const pc = s.sessionDescriptionHandler && s.sessionDescriptionHandler.peerConnection
    if (!pc) return
    const ms = new MediaStream(pc.getReceivers().map((r) => r.track).filter(Boolean))
    const a = new Audio()
    a.srcObject = ms
    a.muted = true
    a.play().catch(() => {})
    const ctx = new AudioContext()
    const an = ctx.createAnalyser()
    an.fftSize = 2048
    ctx.createMediaStreamSource(ms).connect(an)
    s._an = an
  }
  const opts = { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 500 }
  async function start(ext, pw, ws, dom) {
    domain = dom
    ua = new S.UserAgent({
      uri: S.UserAgent.makeURI('sip:' + ext + '@' + dom),
      authorizationUsername: ext,
      authorizationPassword: pw,
      transportOptions: { server: ws },
      logLevel: 'error',
      sessionDescriptionHandlerFactoryOptions: opts,
      delegate: { onInvite: (inv) => { const i = watch(inv); if (autoAnswer) inv.accept() } }
    })
    await ua.start()
    const reg = new S.Registerer(ua, { expires: 300 })
    await new Promise((res, rej) => reg.register({ requestDelegate: { onAccept: res, onReject: (r) => rej(new Error('REGISTER ' + r.message.statusCode)) } }))
  }
  function call(target) {
    const inv = new S.Inviter(ua, S.UserAgent.makeURI('sip:' + target + '@' + domain))
    const i = watch(inv)
    inv.invite()
    return i
  }
  async function inbound(i) {
    const s = sessions[i]
    const pc = s && s.sessionDescriptionHandler && s.sessionDescriptionHandler.peerConnection
    let bytes = 0
    let sent = 0
    if (pc) (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes = r.bytesReceived
      if (r.type === 'outbound-rtp' && r.kind === 'audio') sent = r.bytesSent
    })
    return { bytes, sent, state: s ? s.state : 'none', sdp: pc && pc.remoteDescription ? pc.remoteDescription.sdp : '' }
  }
  /** Peak RMS of what this party hears over ms. */
  async function energy(i, ms) {
    const an = sessions[i] && sessions[i]._an
    if (!an) return 0
    const buf = new Float32Array(an.fftSize)
    let peak = 0
    const end = performance.now() + ms
    while (performance.now() < end) {
      an.getFloatTimeDomainData(buf)
      let sum = 0
      for (const v of buf) sum += v * v
      peak = Math.max(peak, Math.sqrt(sum / buf.length))
      await new Promise((r) => setTimeout(r, 40))
    }
    return peak
  }
  /** Loudest level (dB, Goertzel on the time signal) at a frequency in what this party hears over ms. */
  async function toneDb(i, hz, ms) {
    const an = sessions[i] && sessions[i]._an
    if (!an) return -200
    const buf = new Float32Array(an.fftSize)
    let peak = -200
    const end = performance.now() + ms
    while (performance.now() < end) {
      an.getFloatTimeDomainData(buf)
      const power = goertzelPower(buf, 0, buf.length, hz, an.context.sampleRate)
      peak = Math.max(peak, 10 * Math.log10(power + 1e-20))
      await new Promise((r) => setTimeout(r, 40))
    }
    return peak
  }
  /**
   * Answer the newest incoming call and time answer → first inbound RTP packet (ms). Chromium caches getStats
   * for 50 ms, so the packet's arrival is worked out from the report as the desk does (firstPacketAt in
   * src/shared/phone/quality.ts): the last packet's time, one ptime back per earlier packet, not before the
   * last report that showed none.
   */
  async function answerTimed() {
    const s = sessions[sessions.length - 1]
    const t0 = Date.now()
    window.__answeredAt = t0
    await s.accept()
    let noneAt = -Infinity
    for (;;) {
      const pc = s.sessionDescriptionHandler.peerConnection
      let rtp = null
      let at = null
      ;(await pc.getStats()).forEach((r) => {
        at = r.timestamp
        if (r.type === 'inbound-rtp' && r.kind === 'audio' && r.bytesReceived > 0) rtp = r
      })
      const seen = Date.now()
      if (rtp) {
        const m = /^a=ptime:(\d+)/m.exec(pc.remoteDescription ? pc.remoteDescription.sdp : '')
        const ptime = m ? Number(m[1]) : 20
        const last = rtp.lastPacketReceivedTimestamp
        const first = typeof last === 'number' ? Math.max(noneAt, Math.min(last - (rtp.packetsReceived - 1) * ptime, last, seen)) : seen
        return first - t0
      }
      if (at !== null) noneAt = at
      if (seen - t0 > 10000) return -1
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  async function hangup(i) {
    const s = sessions[i]
    if (s.state === 'Established') await s.bye()
    else if (s.state === 'Establishing' && s.cancel) await s.cancel()
  }
  async function info(i, digit) {
    await sessions[i].info({ requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: 'Signal=' + digit + '\r\nDuration=100\r\n' } } })
  }
  return { start, call, inbound, energy, toneDb, answerTimed, hangup, info, infos, sessions, setAutoAnswer: (v) => { autoAnswer = v }, count: () => sessions.length, stop: () => ua && ua.stop() }
})()
`

export interface BareServer {
  url: string
  close(): Promise<void>
}

export async function serveBarePage(): Promise<BareServer> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'node_modules/sip.js/lib/index.js')],
    bundle: true,
    format: 'iife',
    globalName: 'SIP',
    write: false,
    logLevel: 'silent'
  })
  const js = bundle.outputFiles[0]!.text
  const html = '<!doctype html><meta charset="utf-8"><title>bare sip.js</title><script src="/sip.js"></script><script src="/helper.js"></script>'
  const server = http.createServer((req, res) => {
    const body = req.url === '/sip.js' ? js : req.url === '/helper.js' ? HELPER : req.url === '/bare.html' ? html : null
    if (body === null) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': req.url!.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript' }).end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/bare.html`, close: () => new Promise((r) => server.close(() => r())) }
}

/** A 48 kHz 16-bit mono WAV of a sine tone: a party's recognisable voice for Chromium's fake microphone. */
export function toneWav(file: string, hz: number, seconds = 2): string {
  const rate = 48_000
  const n = rate * seconds
  const data = Buffer.alloc(n * 2)
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 12_000), i * 2)
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + data.length, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(1, 22)
  header.writeUInt32LE(rate, 24)
  header.writeUInt32LE(rate * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36)
  header.writeUInt32LE(data.length, 40)
  fs.writeFileSync(file, Buffer.concat([header, data]))
  return file
}

/** Calls into the page's `window.bare`. */
export function bare<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([f, a]) => (window as unknown as { bare: Record<string, (...x: unknown[]) => unknown> }).bare[f as string]!(...(a as unknown[])), [fn, args] as const) as Promise<T>
}
