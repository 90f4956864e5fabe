import { TransportState, type Transport } from 'sip.js'
import type { Logger } from 'sip.js/lib/core'

/**
 * A SIP "server" inside the phone host page, for the training sandbox: the
 * agent's user agent and the simulated citizens' user agents register here and
 * call each other with real sip.js signalling and real WebRTC media between
 * local peers, with no Kamailio and no network. It does what a registrar and a
 * stateless proxy would, and no more:
 * - REGISTER is answered 200 OK and remembers who the user is;
 * - a request goes to the user agent whose AOR or Contact user is in its
 *   Request-URI (sip.js accepts either); an INVITE for a user nobody has
 *   registered goes to `onUnknownUser` if set (the sandbox answers the agent's
 *   outbound calls with a simulated citizen), otherwise it gets 404;
 * - a response goes back along the top Via branch of its request.
 * Messages are strings, exactly as on a WebSocket, delivered asynchronously.
 */
export class LoopbackSipSwitch {
  private readonly byUser = new Map<string, LoopbackTransport>()
  private readonly byBranch = new Map<string, LoopbackTransport>()
  /** Every message that passed, newest last (bounded): what a trainer's trace or a test looks at. */
  readonly trace: { from: string; startLine: string }[] = []
  /** Creates a user agent for a dialled user nobody registered; resolves to its transport, or null for 404. */
  onUnknownUser: ((user: string) => Promise<LoopbackTransport | null>) | null = null

  attach(t: LoopbackTransport): void {
    if (t.name) this.byUser.set(t.name, t)
  }

  detach(t: LoopbackTransport): void {
    for (const [k, v] of this.byUser) if (v === t) this.byUser.delete(k)
    for (const [k, v] of this.byBranch) if (v === t) this.byBranch.delete(k)
  }

  /** Users currently reachable (registered or attached). */
  users(): string[] {
    return [...new Set(this.byUser.keys())]
  }

  route(from: LoopbackTransport, message: string): void {
    const head = parseHead(message)
    if (!head) return // garbage: a real proxy drops it too
    this.trace.push({ from: from.name ?? '?', startLine: head.startLine })
    if (this.trace.length > 500) this.trace.splice(0, this.trace.length - 500)
    if (head.kind === 'response') {
      // The answerer's Contact is where the caller sends ACK and BYE.
      if (head.contactUser && head.status < 300) this.byUser.set(head.contactUser, from)
      const back = head.branch ? this.byBranch.get(head.branch) : undefined
      if (back) back.deliver(message)
      if (head.branch && head.status >= 200 && head.cseqMethod !== 'INVITE') this.byBranch.delete(head.branch)
      return
    }
    // Learn who sent it, so in-dialog requests to its Contact find it.
    if (head.contactUser) this.byUser.set(head.contactUser, from)
    if (head.fromUser && head.method === 'REGISTER') this.byUser.set(head.fromUser, from)
    if (head.branch && head.method !== 'ACK') this.byBranch.set(head.branch, from)
    if (head.method === 'REGISTER') {
      from.deliver(reply(message, 200, 'OK', contactWithExpires(message)))
      return
    }
    const target = head.ruriUser ? this.byUser.get(head.ruriUser) : undefined
    if (!target && head.method === 'INVITE' && head.ruriUser && this.onUnknownUser) {
      const user = head.ruriUser
      this.onUnknownUser(user).then(
        (t) => (t ? t.deliver(message) : from.deliver(reply(message, 404, 'Not Found'))),
        () => from.deliver(reply(message, 480, 'Temporarily Unavailable'))
      )
      return
    }
    if (!target) {
      if (head.method !== 'ACK') from.deliver(reply(message, 404, 'Not Found'))
      return
    }
    target.deliver(message)
  }
}

export interface LoopbackTransportOptions {
  switch: LoopbackSipSwitch
  /** The user part this transport's UA registers or calls as (e.g. the agent's extension). */
  name?: string
}

/** A sip.js Transport that hands messages to a LoopbackSipSwitch instead of a WebSocket. */
export class LoopbackTransport implements Transport {
  onConnect: (() => void) | undefined
  onDisconnect: ((error?: Error) => void) | undefined
  onMessage: ((message: string) => void) | undefined
  readonly protocol = 'WS'
  readonly name: string | undefined
  private readonly sw: LoopbackSipSwitch
  private current: TransportState = TransportState.Disconnected
  private readonly listeners = new Set<(s: TransportState) => void>()
  readonly stateChange = {
    addListener: (l: (s: TransportState) => void) => void this.listeners.add(l),
    removeListener: (l: (s: TransportState) => void) => void this.listeners.delete(l),
    on: (l: (s: TransportState) => void) => void this.listeners.add(l),
    off: (l: (s: TransportState) => void) => void this.listeners.delete(l),
    once: (l: (s: TransportState) => void) => {
      const once = (s: TransportState) => {
        this.listeners.delete(once)
        l(s)
      }
      this.listeners.add(once)
    }
  }

  constructor(_logger: Logger, options: LoopbackTransportOptions) {
    this.sw = options.switch
    this.name = options.name
  }

  get state(): TransportState {
    return this.current
  }

  private set(state: TransportState): void {
    this.current = state
    for (const l of [...this.listeners]) l(state)
  }

  async connect(): Promise<void> {
    if (this.current === TransportState.Connected) return
    this.set(TransportState.Connecting)
    this.sw.attach(this)
    this.set(TransportState.Connected)
    this.onConnect?.()
  }

  async disconnect(): Promise<void> {
    if (this.current === TransportState.Disconnected) return
    this.set(TransportState.Disconnecting)
    this.sw.detach(this)
    this.set(TransportState.Disconnected)
    this.onDisconnect?.()
  }

  async dispose(): Promise<void> {
    await this.disconnect()
  }

  isConnected(): boolean {
    return this.current === TransportState.Connected
  }

  async send(message: string): Promise<void> {
    if (!this.isConnected()) throw new Error('loopback transport not connected')
    // Asynchronous like a socket: sip.js must not see a reply inside its own send().
    queueMicrotask(() => this.sw.route(this, message))
  }

  /** Called by the switch. */
  deliver(message: string): void {
    if (!this.isConnected()) return
    setTimeout(() => this.onMessage?.(message), 0)
  }
}

interface RequestHead {
  kind: 'request'
  startLine: string
  method: string
  ruriUser: string | null
  branch: string | null
  contactUser: string | null
  fromUser: string | null
}
interface ResponseHead {
  kind: 'response'
  startLine: string
  status: number
  cseqMethod: string
  branch: string | null
  contactUser: string | null
}

function headerValues(message: string, names: string[]): string[] {
  const end = message.indexOf('\r\n\r\n')
  const lines = (end < 0 ? message : message.slice(0, end)).split('\r\n').slice(1)
  const out: string[] = []
  for (const line of lines) {
    const i = line.indexOf(':')
    if (i < 0) continue
    if (names.includes(line.slice(0, i).trim().toLowerCase())) out.push(line.slice(i + 1).trim())
  }
  return out
}

const userOf = (uri: string | undefined): string | null => uri?.match(/sips?:([^@;>\s]+)@/)?.[1] ?? null

function parseHead(message: string): RequestHead | ResponseHead | null {
  const startLine = message.slice(0, message.indexOf('\r\n'))
  const branch = headerValues(message, ['via', 'v'])[0]?.match(/;branch=([^;,\s]+)/)?.[1] ?? null
  const status = startLine.match(/^SIP\/2\.0 (\d{3})/)
  if (status) {
    const cseq = headerValues(message, ['cseq'])[0]?.split(/\s+/)[1] ?? ''
    return { kind: 'response', startLine, status: Number(status[1]), cseqMethod: cseq, branch, contactUser: userOf(headerValues(message, ['contact', 'm'])[0]) }
  }
  const req = startLine.match(/^([A-Z]+) (\S+) SIP\/2\.0$/)
  if (!req) return null
  return {
    kind: 'request',
    startLine,
    method: req[1]!,
    ruriUser: userOf(req[2]),
    branch,
    contactUser: userOf(headerValues(message, ['contact', 'm'])[0]),
    fromUser: userOf(headerValues(message, ['from', 'f'])[0])
  }
}

function contactWithExpires(message: string): string | null {
  const contact = headerValues(message, ['contact', 'm'])[0]
  if (!contact) return null
  return /;expires=/.test(contact) ? contact : `${contact};expires=600`
}

/** A response built from a request, as RFC 3261 §8.2.6 says: Via, From, To (+tag), Call-ID, CSeq copied. */
function reply(request: string, status: number, reason: string, contact: string | null = null): string {
  const copy = (names: string[], label: string) => headerValues(request, names).map((v) => `${label}: ${v}`)
  const to = headerValues(request, ['to', 't'])[0] ?? ''
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...copy(['via', 'v'], 'Via'),
    ...copy(['from', 'f'], 'From'),
    `To: ${/;tag=/.test(to) ? to : `${to};tag=lb${Math.random().toString(36).slice(2, 10)}`}`,
    ...copy(['call-id', 'i'], 'Call-ID'),
    ...copy(['cseq'], 'CSeq'),
    ...(contact ? [`Contact: ${contact}`] : []),
    'Server: 12345-desk-sandbox',
    'Content-Length: 0',
    '',
    ''
  ]
  return lines.join('\r\n')
}
