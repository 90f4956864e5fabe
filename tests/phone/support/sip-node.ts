/**
 * sip.js in plain Node for the signalling tests: `ws` as the WebSocket, and a
 * session description handler that speaks SDP without any media (it honours
 * hold, so the far end sees sendonly, and "sends" RFC 4733 DTMF). The agent under
 * test is the real SipJsDriver; the other parties (callers, transfer targets) are
 * bare sip.js user agents built here.
 */
import WebSocket from 'ws'
import {
  type Invitation,
  Inviter,
  Registerer,
  SessionState,
  UserAgent,
  type Session,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerFactory,
  type SessionDescriptionHandlerOptions
} from 'sip.js'
import { SipJsDriver } from '../../../src/phone/sipjs-driver'
import type { PhoneFact, PhoneFactType } from '../../../src/shared/phone'

;(globalThis as unknown as { WebSocket: unknown }).WebSocket ??= WebSocket

let sdpSeq = 0
export const fakeSdh: SessionDescriptionHandlerFactory = () => {
  const id = ++sdpSeq
  let version = 0
  const sdh: SessionDescriptionHandler & { remoteSdp: string } = {
    remoteSdp: '',
    close() {},
    hasDescription: (type) => type === 'application/sdp',
    async getDescription(options?: SessionDescriptionHandlerOptions) {
      const hold = (options as { hold?: boolean } | undefined)?.hold === true
      const body = [
        'v=0',
        `o=- ${id} ${++version} IN IP4 127.0.0.1`,
        's=-',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        `m=audio ${40000 + id * 2} RTP/AVP 0 101`,
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        hold ? 'a=sendonly' : 'a=sendrecv',
        ''
      ].join('\r\n')
      return { body, contentType: 'application/sdp' }
    },
    async setDescription(sdp: string) {
      // The stack must refuse an offer it cannot use: no audio line, no media.
      if (!/^m=audio /m.test(sdp)) throw new Error('SDP without an audio stream')
      sdh.remoteSdp = sdp
    },
    sendDtmf: () => true
  }
  return sdh
}

export interface RigLike {
  wsUrl: string
  domain: string
  users: Readonly<Record<string, string>>
}

export function accountFor(rig: RigLike, ext: string) {
  return { server: rig.wsUrl, aor: `sip:${ext}@${rig.domain}`, authorizationUsername: ext, password: rig.users[ext], expiresSec: 60 }
}

/** The agent: the real driver, with fast keepalives so link loss is noticed within a test's patience. */
export function makeAgent(): { driver: SipJsDriver; facts: PhoneFact[]; waitFact<T extends PhoneFactType>(type: T, pred?: (f: Extract<PhoneFact, { type: T }>) => boolean, timeoutMs?: number, since?: number): Promise<Extract<PhoneFact, { type: T }>> } {
  const driver = new SipJsDriver({ sessionDescriptionHandlerFactory: fakeSdh, keepAliveMs: 500, pingTimeoutMs: 700, registerTimeoutMs: 1500 })
  const facts: PhoneFact[] = []
  const waiters = new Set<() => void>()
  driver.onFact((f) => {
    facts.push(f)
    for (const w of [...waiters]) w()
  })
  function waitFact<T extends PhoneFactType>(type: T, pred: (f: Extract<PhoneFact, { type: T }>) => boolean = () => true, timeoutMs = 5000, since?: number) {
    const from = since ?? facts.length
    return new Promise<Extract<PhoneFact, { type: T }>>((resolve, reject) => {
      let idx = from
      const check = () => {
        for (; idx < facts.length; idx++) {
          const f = facts[idx]!
          if (f.type === type && pred(f as Extract<PhoneFact, { type: T }>)) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve(f as Extract<PhoneFact, { type: T }>)
            return
          }
        }
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`no ${type} fact within ${timeoutMs} ms; facts since: ${JSON.stringify(facts.slice(from).map((f) => [f.type, f.type === 'call' ? f.call.state : f.type === 'registration' ? f.registration.state : '']))}`))
      }, timeoutMs)
      idx = from
      waiters.add(check)
      check()
    })
  }
  return { driver, facts, waitFact }
}

export type InviteBehaviour = 'answer' | 'ring' | { reject: number }

/** A bare sip.js party: registers, calls, answers or rejects as told, follows REFERs and Replaces. */
export class Peer {
  readonly ua: UserAgent
  readonly sessions: Session[] = []
  readonly infos: string[] = []
  behaviour: InviteBehaviour = 'answer'
  lastInvite: Invitation | null = null
  private readonly waiters = new Set<() => void>()

  constructor(
    rig: RigLike,
    readonly ext: string
  ) {
    this.ua = new UserAgent({
      uri: UserAgent.makeURI(`sip:${ext}@${rig.domain}`)!,
      authorizationUsername: ext,
      authorizationPassword: rig.users[ext],
      transportOptions: { server: rig.wsUrl, traceSip: process.env.TRACE_EXT === ext },
      logBuiltinEnabled: process.env.TRACE_EXT === ext,
      logLevel: process.env.TRACE_EXT === ext ? 'log' : 'error',
      sessionDescriptionHandlerFactory: fakeSdh,
      delegate: { onInvite: (inv) => this.onInvite(inv) }
    })
  }

  async start(): Promise<this> {
    await this.ua.start()
    const r = new Registerer(this.ua, { expires: 60 })
    await new Promise<void>((resolve, reject) => void r.register({ requestDelegate: { onAccept: () => resolve(), onReject: (res) => reject(new Error(`peer ${this.ext} REGISTER ${res.message.statusCode}`)) } }))
    return this
  }

  stop(): Promise<void> {
    return this.ua.stop()
  }

  private watch(s: Session): void {
    this.sessions.push(s)
    s.delegate = {
      onInfo: (info) => {
        this.infos.push(info.request.body)
        void info.accept()
        this.changed()
      },
      onRefer: (referral) => {
        void referral.accept().then(() => {
          const inviter = referral.makeInviter()
          this.watch(inviter)
          void inviter.invite()
        })
      },
      onInvite: () => this.changed()
    }
    s.stateChange.addListener(() => this.changed())
    this.changed()
  }

  private onInvite(inv: Invitation): void {
    this.lastInvite = inv
    const replaces = inv.request.getHeader('Replaces')
    this.watch(inv)
    if (replaces) {
      // Attended transfer: the new leg replaces one of ours.
      const callId = replaces.split(';')[0]!.trim()
      const old = this.sessions.find((s) => s !== inv && s.dialog?.callId === callId)
      void inv.accept().then(() => {
        if (old && old.state === SessionState.Established) void old.bye()
      })
      return
    }
    const b = this.behaviour
    if (b === 'answer') void inv.accept()
    else if (b !== 'ring') void inv.reject({ statusCode: b.reject })
  }

  call(target: string, extraHeaders: string[] = []): Inviter {
    const inviter = new Inviter(this.ua, UserAgent.makeURI(target.startsWith('sip:') ? target : `sip:${target}@${this.ua.configuration.uri.host}`)!, { extraHeaders })
    this.watch(inviter)
    void inviter.invite()
    return inviter
  }

  private changed(): void {
    for (const w of [...this.waiters]) w()
  }

  /** Resolves when `pred` holds (checked on every change). */
  until<T>(what: string, pred: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = pred()
        if (v) {
          this.waiters.delete(check)
          clearTimeout(timer)
          resolve(v)
        }
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`peer ${this.ext}: ${what} not within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiters.add(check)
      check()
    })
  }

  established(): Session | undefined {
    return this.sessions.find((s) => s.state === SessionState.Established)
  }
}
