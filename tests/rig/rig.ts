/**
 * The project's SIP rig: Debian's Kamailio (and optionally rtpengine) on loopback,
 * one run directory per rig so parallel rigs never share control sockets or pid
 * files. Usable from node:test and vitest:
 *
 *   const rig = await startRig({ runDir, auth: true, rtpengine: false })
 *   // rig.wsUrl = 'ws://127.0.0.1:8088', rig.udp = { host: '127.0.0.1', port: 5060 }
 *   await rig.restart(); await rig.stop()
 *
 * It refuses to run outside a network namespace (tests run under tests/rig/run.mjs,
 * which re-executes itself under `unshare --net` with `ip link set lo up`), so no
 * test can ever reach or expose anything but loopback of its own namespace.
 * Packages: kamailio kamailio-websocket-modules kamailio-tls-modules rtpengine-daemon openssl (see tests/rig/README.md).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import dgram from 'node:dgram'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'

const HERE = __dirname
const LOOPBACK = '127.0.0.1'

/** Extensions the rig knows, with their digest passwords (used when `auth` is on). */
export const DEFAULT_USERS: Readonly<Record<string, string>> = {
  '1001': 'pw1001',
  '1002': 'pw1002',
  '1003': 'pw1003',
  '1004': 'pw1004',
  '2001': 'pw2001',
  '2002': 'pw2002'
}

export interface RigOptions {
  /** A directory of this rig's own (created if missing): configs, control sockets, pid files, logs. */
  runDir: string
  /** Digest authentication for WebSocket clients and all REGISTERs (UDP INVITEs stay trusted for SIPp/baresip). */
  auth?: boolean
  /** Anchor media through rtpengine (WebRTC <-> plain RTP). */
  rtpengine?: boolean
  users?: Record<string, string>
  wsPort?: number
  udpPort?: number
  /** Also serve SIP over secure WebSocket (Kamailio's tls module) with a self-signed certificate made for this rig. */
  tls?: boolean
  wssPort?: number
  /** rtpengine: ng control port (its CLI port is ng + 1) and the RTP port range. */
  rtpengineNgPort?: number
  rtpPortMin?: number
  rtpPortMax?: number
  /** Where rtpengine sends one JSON datagram per RFC 4733 event it sees. */
  dtmfLogPort?: number
  /** Allowed only for deliberate manual use: run in the machine's own network namespace. */
  allowHostNetwork?: boolean
  /** Readiness timeout per process (ms). */
  readyTimeoutMs?: number
}

export interface RigTls {
  /** The rig's self-signed certificate (PEM) and its file: what a client must be told to trust. */
  certPem: string
  certFile: string
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiSha256: string
}

export interface Rig {
  wsUrl: string
  /** wss://127.0.0.1:<port> when started with `tls`, else null. */
  wssUrl: string | null
  tls: RigTls | null
  udp: { host: string; port: number }
  /** SIP domain the rig serves (AORs are sip:<ext>@domain). */
  domain: string
  users: Readonly<Record<string, string>>
  runDir: string
  /** Last lines of Kamailio's log, for failure messages. */
  logTail(lines?: number): string
  /** Stops Kamailio only (rtpengine keeps running), resolves once its ports are free. */
  stopKamailio(): Promise<void>
  /** Starts Kamailio again with the same config; resolves when it answers on UDP and WebSocket. */
  startKamailio(): Promise<void>
  /** stopKamailio + startKamailio; resolves with the instant Kamailio was ready again (Date.now()). */
  restart(): Promise<number>
  stop(): Promise<void>
}

/** True when this process runs in a network namespace other than init's. */
export function inOwnNetworkNamespace(): boolean {
  try {
    return fs.readlinkSync('/proc/self/ns/net') !== fs.readlinkSync('/proc/1/ns/net')
  } catch {
    // /proc/1 unreadable (not root, or a container without it): trust the runner's marker.
    return process.env.RIG_IN_NETNS === '1'
  }
}

function kamailioModuleDir(): string {
  const candidates = fs.existsSync('/usr/lib') ? fs.readdirSync('/usr/lib').map((d) => path.join('/usr/lib', d, 'kamailio/modules')) : []
  candidates.push('/usr/lib/kamailio/modules', '/usr/lib64/kamailio/modules')
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'websocket.so')))
  if (!found) throw new Error('Kamailio websocket module not found: apt-get install -y kamailio kamailio-websocket-modules')
  return found.endsWith('/') ? found : `${found}/`
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/__([A-Z_]+)__/g, (m, key: string) => (key in values ? values[key]! : m))
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: LOOPBACK, port })
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
    s.setTimeout(500, () => done(false))
  })
}

/** Sends a stateless OPTIONS to the proxy; true when it answers 200 (the keepalive answer in REQINIT). */
export function sipOptionsPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4')
    const branch = `z9hG4bK-rig-${Math.random().toString(36).slice(2)}`
    let settled = false
    const done = (ok: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      sock.close()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    sock.on('error', () => done(false))
    sock.on('message', (msg) => done(/^SIP\/2\.0 200/.test(msg.toString())))
    sock.bind(0, LOOPBACK, () => {
      const { port: local } = sock.address()
      const msg = [
        `OPTIONS sip:${LOOPBACK}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${LOOPBACK}:${local};branch=${branch};rport`,
        'Max-Forwards: 5',
        `From: <sip:rig-probe@${LOOPBACK}>;tag=${branch.slice(-8)}`,
        `To: <sip:${LOOPBACK}:${port}>`,
        `Call-ID: ${branch}@rig`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        ''
      ].join('\r\n')
      sock.send(msg, port, LOOPBACK, (err) => err && done(false))
    })
  })
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${what} exited (${proc.exitCode ?? proc.signalCode}) before ready:\n${log()}`)
    if (await check()) return
    await sleep(25)
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms:\n${log()}`)
}

function stopProcess(proc: ChildProcess | null, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve()
    const t = setTimeout(() => proc.kill('SIGKILL'), graceMs)
    proc.once('exit', () => {
      clearTimeout(t)
      resolve()
    })
    proc.kill('SIGTERM')
  })
}

/**
 * A self-signed certificate for 127.0.0.1 (openssl, made at test time in the rig's directory) and Kamailio's
 * tls.cfg serving it. Clients trust it explicitly (ws `ca`, Chromium's SPKI list) or see it refused.
 */
function makeTls(runDir: string): RigTls {
  const certFile = path.join(runDir, 'tls-cert.pem')
  const keyFile = path.join(runDir, 'tls-key.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' })
  fs.writeFileSync(
    path.join(runDir, 'tls.cfg'),
    ['[server:default]', 'method = TLSv1.2+', 'verify_certificate = no', 'require_certificate = no', `private_key = ${keyFile}`, `certificate = ${certFile}`, '', '[client:default]', 'verify_certificate = no', 'require_certificate = no', ''].join('\n')
  )
  const certPem = fs.readFileSync(certFile, 'utf8')
  const spki = new crypto.X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })
  return { certPem, certFile, spkiSha256: crypto.createHash('sha256').update(spki).digest('base64') }
}

export async function startRig(opts: RigOptions): Promise<Rig> {
  if (!opts.allowHostNetwork && !inOwnNetworkNamespace()) {
    throw new Error('SIP rig: refusing to start outside a network namespace; run under tests/rig/run.mjs (unshare --net, lo up)')
  }
  for (const bin of ['/usr/sbin/kamailio', ...(opts.rtpengine ? ['/usr/bin/rtpengine'] : [])]) {
    if (!fs.existsSync(bin)) throw new Error(`SIP rig: ${bin} missing: apt-get install -y kamailio kamailio-websocket-modules rtpengine-daemon`)
  }
  const runDir = path.resolve(opts.runDir)
  fs.mkdirSync(runDir, { recursive: true })
  const users = opts.users ?? DEFAULT_USERS
  const wsPort = opts.wsPort ?? 8088
  const udpPort = opts.udpPort ?? 5060
  const ngPort = opts.rtpengineNgPort ?? 2223
  const readyMs = opts.readyTimeoutMs ?? 10_000
  for (const [ext, pw] of Object.entries(users)) {
    if (!/^[A-Za-z0-9_.-]{1,32}$/.test(ext) || !/^[\x21-\x7e]{1,64}$/.test(pw) || pw.includes('"')) throw new Error(`SIP rig: unusable test user ${ext}`)
  }

  const wssPort = opts.wssPort ?? 8443
  if (opts.tls && !fs.existsSync(path.join(kamailioModuleDir(), 'tls.so'))) throw new Error('SIP rig: Kamailio tls module missing: apt-get install -y kamailio-tls-modules')
  const tls = opts.tls ? makeTls(runDir) : null
  const kamCfg = path.join(runDir, 'kamailio.cfg')
  fs.writeFileSync(
    kamCfg,
    fill(fs.readFileSync(path.join(HERE, 'kamailio.cfg'), 'utf8'), {
      RUN_DIR: runDir,
      UDP_PORT: String(udpPort),
      WS_PORT: String(wsPort),
      WSS_PORT: String(wssPort),
      MPATH: kamailioModuleDir(),
      RTPENGINE_NG: `${LOOPBACK}:${ngPort}`,
      USERS: Object.entries(users)
        .map(([ext, pw]) => `\t$sht(users=>${ext}) = "${pw}";`)
        .join('\n')
    })
  )
  const kamLog: string[] = []
  const rtpLog: string[] = []
  const keep = (buf: string[]) => (d: Buffer) => {
    buf.push(d.toString())
    if (buf.length > 400) buf.splice(0, buf.length - 400)
  }
  const kamLogFile = fs.createWriteStream(path.join(runDir, 'kamailio.log'), { flags: 'a' })
  const tail = (buf: string[], n = 40) => buf.join('').split('\n').slice(-n).join('\n')

  let rtp: ChildProcess | null = null
  if (opts.rtpengine) {
    const rtpCfg = path.join(runDir, 'rtpengine.conf')
    fs.writeFileSync(
      rtpCfg,
      fill(fs.readFileSync(path.join(HERE, 'rtpengine.conf'), 'utf8'), {
        RUN_DIR: runDir,
        RTPENGINE_NG: `${LOOPBACK}:${ngPort}`,
        RTPENGINE_CLI: `${LOOPBACK}:${ngPort + 1}`,
        PORT_MIN: String(opts.rtpPortMin ?? 30000),
        PORT_MAX: String(opts.rtpPortMax ?? 30999),
        DTMF_LOG: `${LOOPBACK}:${opts.dtmfLogPort ?? 9999}`
      })
    )
    const rtpLogFile = fs.createWriteStream(path.join(runDir, 'rtpengine.log'), { flags: 'a' })
    rtp = spawn('/usr/bin/rtpengine', ['--config-file', rtpCfg], { stdio: ['ignore', 'pipe', 'pipe'] })
    for (const s of [rtp.stdout!, rtp.stderr!]) {
      s.on('data', keep(rtpLog))
      s.pipe(rtpLogFile)
    }
    const rtpProc = rtp
    await waitFor('rtpengine', () => tcpOpen(ngPort + 1), readyMs, rtpProc, () => tail(rtpLog))
  }

  let kam: ChildProcess | null = null
  const startKamailio = async () => {
    if (kam && kam.exitCode === null && kam.signalCode === null) throw new Error('SIP rig: Kamailio already running')
    const args = ['-f', kamCfg, '-DD', '-E', '-m', '64', '-M', '8', '-P', path.join(runDir, 'kamailio.pid'), '-Y', runDir, '-w', runDir]
    if (opts.auth) args.push('-A', 'WITH_AUTH')
    if (opts.rtpengine) args.push('-A', 'WITH_RTPENGINE')
    if (tls) args.push('-A', 'WITH_TLS')
    const proc = spawn('/usr/sbin/kamailio', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: runDir })
    for (const s of [proc.stdout!, proc.stderr!]) {
      s.on('data', keep(kamLog))
      s.on('data', (d: Buffer) => kamLogFile.write(d))
    }
    kam = proc
    await waitFor('kamailio', async () => (await sipOptionsPing(udpPort)) && (await tcpOpen(wsPort)) && (!tls || (await tcpOpen(wssPort))), readyMs, proc, () => tail(kamLog))
  }
  const stopKamailio = async () => {
    await stopProcess(kam)
    kam = null
    // The WebSocket port must be free before a restart binds it again.
    const deadline = Date.now() + 5000
    while (Date.now() < deadline && ((await tcpOpen(wsPort)) || (tls && (await tcpOpen(wssPort))))) await sleep(25)
  }

  try {
    await startKamailio()
  } catch (err) {
    await stopProcess(kam)
    await stopProcess(rtp)
    throw err
  }

  return {
    wsUrl: `ws://${LOOPBACK}:${wsPort}`,
    wssUrl: tls ? `wss://${LOOPBACK}:${wssPort}` : null,
    tls,
    udp: { host: LOOPBACK, port: udpPort },
    domain: LOOPBACK,
    users,
    runDir,
    logTail: (n) => tail(kamLog, n),
    stopKamailio,
    startKamailio,
    async restart() {
      await stopKamailio()
      await startKamailio()
      return Date.now()
    },
    async stop() {
      await stopKamailio()
      await stopProcess(rtp)
      rtp = null
      kamLogFile.end()
    }
  }
}
