import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo, Socket } from 'node:net'
import { pipeline } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { InvokeMessageSchema, type Caller, type DeskEvent } from '../../shared/ipc/contract'
import { CONTENT_SECURITY_POLICY } from '../../shared/security'
import type { Logger } from '../logging'
import type { Core } from '../core'
import { bundleFiles, contentType, decodeRequestPath, ENTRY } from './static-files'
import { createWindowSessions } from './window-sessions'

export interface BridgeServer {
  port: number
  /** The windows' pages with their path tokens (for stdout and the phone page's debugging pipe, never a command line). */
  uiUrl: string
  phoneUrl: string
  /** A fresh one-time launch URL for a window opened from a command line (see window-sessions.ts). */
  launchUrl(kind: Caller): string
  /** Open bridge connections by window kind (tests read this). */
  connections(): Record<Caller, number>
  close(): Promise<void>
}

/** Far above any contract call (a ticket with its notes); a larger frame is closed with 1009. */
const MAX_MESSAGE_BYTES = 1024 * 1024
/** A window makes a few calls a second; a flood beyond this is a broken or hostile page, closed with 1008. */
const MAX_MESSAGES_PER_SECOND = 500

function ignoreSocketError(): void {}

/**
 * The browser host's loopback server: serves the same UI and phone-host bundles
 * Electron loads and carries the same IPC contract over a WebSocket. The first
 * segment of every URL names the window (a secret token, or the window's path
 * with its session cookie: window-sessions.ts); a request or connection without
 * one is refused, and the window kind decides which methods a connection may
 * call and which bundle's files it may load (exactly those its page imports).
 */
export async function startBridgeServer(opts: { core: Core; staticDir: string; port: number; log: Logger; now?: () => number }): Promise<BridgeServer> {
  const { core, log } = opts
  const files = bundleFiles(opts.staticDir)
  const windows = createWindowSessions(opts.now)
  const sockets = new Set<{ kind: Caller; ws: WebSocket }>()

  const server = http.createServer((req, res) => {
    // The path as the client sent it: decoded once, below, and never normalised by anyone else first.
    const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0]!
    const [, first = '', ...rest] = rawPath.split('/')
    if (first === 'launch' && rest.length === 1 && req.method === 'GET') return launch(rest[0]!, res)
    const kind = windows.authenticate(first, req.headers.cookie)?.kind
    if (!kind || req.method !== 'GET') {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('403 禁止访问 (forbidden)')
      return
    }
    const sub = decodeRequestPath(rest.join('/'))
    const file = sub === null ? undefined : files[kind].get(sub)
    if (!file) {
      log.warn('host: static request refused', { kind, path: rest.join('/').slice(0, 200), reason: sub === null ? 'not a plain path' : 'not in this window’s bundle' })
      res.writeHead(sub === null ? 403 : 404, { 'content-type': 'text/plain; charset=utf-8' }).end(sub === null ? '403 禁止访问 (forbidden)' : '404')
      return
    }
    res.writeHead(200, {
      'content-type': contentType(file),
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store'
    })
    // The file can vanish between the check and the read (a rebuild): end that response, not the host.
    pipeline(fs.createReadStream(file), res, (err) => {
      if (err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') log.warn('host: static file read failed', { file: path.basename(file), code: err.code })
    })
  })
  /** Exchanges a launch nonce, once, for the window's session cookie and sends the browser on to the page. */
  function launch(nonce: string, res: http.ServerResponse): void {
    const session = windows.redeem(nonce)
    if (!session) {
      log.warn('host: launch URL refused (unknown, used or expired)')
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('403 启动链接无效、已使用或已过期 (launch link unknown, used or expired)')
      return
    }
    log.info('host: window launched', { kind: session.kind })
    res.writeHead(303, { location: `/${session.kind}/${ENTRY[session.kind]}`, 'set-cookie': session.setCookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end()
  }
  // A malformed request or a reset socket ends that connection only (Node answers 400 where it still can).
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code !== 'ECONNRESET') log.warn('host: bad http request refused', { code: err.code })
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })

  /** The host's own origin, known once it listens (nothing is served before). */
  let base = ''
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  server.on('upgrade', (req, socket: Socket, head) => {
    // Node drops its own error listener before 'upgrade': without one, a client that resets while
    // being answered would throw in the host. ws adds its own once it takes the socket over.
    socket.on('error', ignoreSocketError)
    const [, first = '', ...rest] = (req.url ?? '/').split(/[?#]/, 1)[0]!.split('/')
    const credential = windows.authenticate(first, req.headers.cookie)
    const origin = req.headers.origin
    // Only the host's own pages may open the bridge. A browser always sends Origin, and it sends the
    // session cookie on its own, even for another site's page: a cookie without our Origin is refused.
    // A client that names the token (the tests, a developer's tool) shows it knows the secret; if it
    // sends an Origin, that must be ours too.
    const originOk = origin === base || (origin === undefined && credential?.by === 'token')
    if (!credential || rest.join('/') !== 'bridge' || !originOk) {
      log.warn('host: bridge connection refused', { credential: credential?.by ?? 'none', origin: origin?.slice(0, 200) ?? 'none' })
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(credential.kind, ws))
  })

  function accept(kind: Caller, ws: WebSocket): void {
    const entry = { kind, ws }
    sockets.add(entry)
    ws.on('close', () => sockets.delete(entry))
    // A frame ws cannot accept (invalid UTF-8, over maxPayload, a bad opcode, an unmasked frame) arrives
    // here after ws has closed the connection with the matching code (1007, 1009, 1002).
    ws.on('error', (err: Error & { code?: string }) => log.warn('host: bridge frame refused; connection closed', { kind, code: err.code ?? err.message }))
    let windowStart = 0
    let inWindow = 0
    ws.on('message', (data, isBinary) => {
      const now = Date.now()
      if (now - windowStart >= 1000) [windowStart, inWindow] = [now, 0]
      if (++inWindow > MAX_MESSAGES_PER_SECOND) {
        if (inWindow === MAX_MESSAGES_PER_SECOND + 1) {
          log.warn('host: bridge message rate exceeded; connection closed', { kind, limit: MAX_MESSAGES_PER_SECOND })
          ws.close(1008, 'message rate exceeded')
        }
        return
      }
      let message: unknown
      try {
        if (isBinary) throw new Error('binary frame')
        message = JSON.parse(data.toString())
      } catch {
        log.warn('host: malformed bridge message', { kind })
        ws.send(JSON.stringify({ type: 'error', message: 'malformed JSON' }))
        return
      }
      const parsed = InvokeMessageSchema.safeParse(message)
      if (!parsed.success) {
        log.warn('host: invalid bridge envelope', { kind })
        ws.send(JSON.stringify({ type: 'error', message: 'invalid envelope' }))
        return
      }
      const { id, service, method, args } = parsed.data
      core.dispatcher
        .handle(kind, service, method, args)
        .then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, result }))
        })
        .catch((err: Error) => log.error('host: bridge reply failed', { kind, method: `${service}.${method}`, error: err.stack ?? String(err) }))
    })
  }

  const unsubscribe = core.onEvent((audience, event: DeskEvent) => {
    const text = JSON.stringify({ type: 'event', event })
    for (const { kind, ws } of sockets) if ((audience === 'all' || audience === kind) && ws.readyState === ws.OPEN) ws.send(text)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, '127.0.0.1', () => resolve())
  })
  server.on('error', (err) => log.error('host: http server error', { error: err.message }))
  const port = (server.address() as AddressInfo).port
  base = `http://127.0.0.1:${port}`
  return {
    port,
    uiUrl: `${base}/${windows.tokenOf('ui')}/${ENTRY.ui}`,
    phoneUrl: `${base}/${windows.tokenOf('phone')}/${ENTRY.phone}`,
    launchUrl: (kind) => base + windows.issueLaunch(kind),
    connections: () => {
      const counts: Record<Caller, number> = { ui: 0, phone: 0 }
      for (const s of sockets) counts[s.kind] += 1
      return counts
    },
    close: async () => {
      unsubscribe()
      for (const { ws } of sockets) ws.terminate()
      wss.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
