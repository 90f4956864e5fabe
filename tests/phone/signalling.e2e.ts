import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import dgram from 'node:dgram'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SessionState } from 'sip.js'
import { startRig, type Rig } from '../rig/rig'
import { accountFor, makeAgent, Peer } from './support/sip-node'
import { CALL_COMMANDS, allowedCallCommands } from '../../src/shared/phone'
import { commandFor } from '../../src/main/phone/test-support'

/**
 * The softphone's signalling against a real Kamailio (digest auth, WebSocket),
 * in a loopback-only network namespace (tests/rig/run.mjs). The agent is the
 * real SipJsDriver; the other parties are bare sip.js user agents in Node.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('softphone signalling against Kamailio', { timeout: 180_000 }, () => {
  let rig: Rig
  let agent: ReturnType<typeof makeAgent>
  const peers: Peer[] = []
  /** One party per extension for the whole suite (a second registration would fork calls to both). */
  const peer = async (ext: string) => {
    const known = peers.find((x) => x.ext === ext)
    if (known) {
      known.behaviour = 'answer'
      return known
    }
    const p = await new Peer(rig, ext).start()
    peers.push(p)
    return p
  }
  /** After Kamailio lost its in-memory registrations, parties register anew. */
  const freshPeer = async (ext: string) => {
    const known = peers.findIndex((x) => x.ext === ext)
    if (known >= 0) await peers.splice(known, 1)[0]!.stop()
    return peer(ext)
  }

  before(async () => {
    rig = await startRig({ runDir: fs.mkdtempSync(path.join(os.tmpdir(), 'rig-phone-')), auth: true, rtpengine: false })
    agent = makeAgent()
    const registered = agent.waitFact('registration', (f) => f.registration.state === 'registered', 10_000)
    const res = await agent.driver.execute({ type: 'register', account: accountFor(rig, '1001') })
    assert.equal(res.ok, true)
    await registered
  })
  after(async () => {
    for (const p of peers) await p.stop().catch(() => undefined)
    await agent?.driver.dispose()
    await rig?.stop()
  })

  /** Waits until the agent has no live call (so scenarios do not leak into each other). */
  async function idle(): Promise<void> {
    for (let i = 0; i < 50 && agent.driver.snapshot().calls.length; i++) await sleep(100)
    assert.deepEqual(agent.driver.snapshot().calls.map((c) => `${c.peer.raw} ${c.state}`), [])
  }

  /** A peer calls the agent; resolves with the agent's callId once it rings. */
  async function ring(from: Peer, headers: string[] = []): Promise<string> {
    const mark = agent.facts.length
    const incoming = agent.waitFact('incoming')
    from.call('1001', headers)
    const f = await incoming
    await agent.waitFact('call', (c) => c.call.callId === f.callId && c.call.state === 'ringing', 5000, mark)
    return f.callId
  }

  async function established(callId: string): Promise<void> {
    if (agent.driver.snapshot().calls.find((c) => c.callId === callId)?.state === 'established') return
    await agent.waitFact('call', (c) => c.call.callId === callId && c.call.state === 'established')
  }

  it('registers with digest auth and reports a truthful registration', () => {
    const reg = agent.driver.snapshot().registration
    assert.equal(reg.state, 'registered')
    assert.equal(reg.transport, 'connected')
    assert.equal(reg.aor, 'sip:1001@127.0.0.1')
    assert.ok(reg.roundTripMs !== null && reg.roundTripMs < 2000)
  })

  it('refuses a wrong password with a clear message and keeps retrying', async () => {
    const bad = makeAgent()
    try {
      const failed = bad.waitFact('registration', (f) => f.registration.state === 'failed')
      await bad.driver.execute({ type: 'register', account: { ...accountFor(rig, '1004'), password: 'wrong' } })
      const f = await failed
      assert.equal(f.registration.reason?.code, 'auth-failed')
      assert.match(f.registration.reason!.message, /分机号或密码错误/)
      assert.ok(f.registration.retryAt !== null || f.registration.attempt >= 1)
    } finally {
      await bad.driver.dispose()
    }
  })

  it('an incoming call reaches the agent with the caller number before ringing, answer and remote hang-up', async () => {
    const caller = await peer('1002')
    const mark = agent.facts.length
    const incoming = agent.waitFact('incoming')
    const t0 = Date.now()
    caller.call('1001')
    const f = await incoming
    assert.ok(Date.now() - t0 < 2000)
    assert.equal(f.caller.raw, '1002')
    assert.equal(f.blocked, false)
    // The incoming fact comes before the ringing state.
    const ringingIdx = agent.facts.findIndex((x) => x.type === 'call' && x.call.callId === f.callId)
    assert.ok(ringingIdx === -1 || agent.facts.indexOf(f) < ringingIdx)
    await agent.waitFact('call', (c) => c.call.callId === f.callId && c.call.state === 'ringing', 5000, mark)
    assert.equal((await agent.driver.execute({ type: 'answer', callId: f.callId })).ok, true)
    await established(f.callId)
    await caller.until('established', () => caller.established())
    const ended = agent.waitFact('call', (c) => c.call.callId === f.callId && c.call.state === 'terminated')
    await caller.established()!.bye()
    const end = await ended
    assert.equal(end.call.endedBy, 'remote')
    await idle()
  })

  it('the agent rejects a ringing call (486) and hangs up an answered one', async () => {
    const caller = await peer('1003')
    const first = await ring(caller)
    const rejected = agent.waitFact('call', (c) => c.call.callId === first && c.call.state === 'terminated')
    assert.equal((await agent.driver.execute({ type: 'reject', callId: first })).ok, true)
    assert.equal((await rejected).call.endedBy, 'local')
    const inviter = caller.sessions.at(-1)!
    await caller.until('caller sees the rejection', () => inviter.state === SessionState.Terminated)

    const second = await ring(caller)
    await agent.driver.execute({ type: 'answer', callId: second })
    await established(second)
    const ended = agent.waitFact('call', (c) => c.call.callId === second && c.call.state === 'terminated')
    await agent.driver.execute({ type: 'hangup', callId: second })
    assert.equal((await ended).call.endedBy, 'local')
    const s = caller.sessions.at(-1)!
    await caller.until('caller sees the BYE', () => s.state === SessionState.Terminated)
    await idle()
  })

  for (const [status, code, zh] of [
    [486, 'busy', '对方忙'],
    [403, 'forbidden', '无权呼叫'],
    [503, 'service-unavailable', '呼叫服务暂时不可用']
  ] as const) {
    it(`an outbound call answered ${status} ends with "${zh}"`, async () => {
      const callee = await peer('2001')
      callee.behaviour = { reject: status }
      const res = await agent.driver.execute({ type: 'dial', target: '2001' })
      assert.ok(res.ok)
      const callId = res.value.callId!
      const end = await agent.waitFact('call', (c) => c.call.callId === callId && c.call.state === 'terminated')
      assert.equal(end.call.cause?.code, code)
      // A proxy must not forward a 503 (RFC 3261 §16.7): Kamailio turns it into 500; the agent's message is the same.
      assert.equal(end.call.cause?.sipStatus, status === 503 ? 500 : status)
      assert.match(end.call.cause!.message, new RegExp(zh))
      await idle()
    })
  }

  it('an outbound call to an unknown extension ends with 404 "号码不存在"', async () => {
    const res = await agent.driver.execute({ type: 'dial', target: '3999' })
    assert.ok(res.ok)
    const end = await agent.waitFact('call', (c) => c.call.callId === res.value.callId && c.call.state === 'terminated')
    assert.equal(end.call.cause?.code, 'not-found')
    assert.match(end.call.cause!.message, /号码不存在/)
    await idle()
  })

  it('a callback presents the 12345 number (P-Asserted-Identity) and the callee sees it', async () => {
    const citizen = await peer('1004')
    citizen.behaviour = { reject: 486 }
    const res = await agent.driver.execute({ type: 'dial', target: '1004', callerId: { pAssertedIdentity: `<sip:12345@${rig.domain}>`, fromDisplay: '12345' } })
    assert.ok(res.ok)
    await agent.waitFact('call', (c) => c.call.callId === res.value.callId && c.call.state === 'terminated')
    const seen = citizen.lastInvite?.request.getHeader('P-Asserted-Identity') ?? ''
    assert.match(seen, /sip:12345@/)
    assert.equal(citizen.lastInvite?.remoteIdentity.displayName, '12345')
    await idle()
  })

  it('commands that make no sense get a clear refusal, not a crash', async () => {
    const r1 = await agent.driver.execute({ type: 'answer', callId: 'nope' })
    assert.equal(r1.ok, false)
    assert.equal(!r1.ok && r1.error.code, 'no-such-call')
    const r2 = await agent.driver.execute({ type: 'dtmf', callId: 'x', digits: 'hello' } as never)
    assert.equal(!r2.ok && r2.error.code, 'bad-command')
    assert.match(!r2.ok ? r2.error.message : '', /无效的话机指令/)
  })

  it('each move the call does not allow is refused with the state and the move, and changes nothing', async () => {
    const caller = await peer('1002')
    const callId = await ring(caller)
    const refusesAll = async () => {
      const call = agent.driver.snapshot().calls.find((c) => c.callId === callId)!
      const mark = agent.facts.length
      for (const type of CALL_COMMANDS.filter((c) => !allowedCallCommands(call).includes(c))) {
        const res = await agent.driver.execute(commandFor(type, callId))
        assert.equal(res.ok, false, `${type} in ${call.state}`)
        assert.deepEqual(!res.ok && res.error.illegalMove, { machine: 'call', state: call.state, move: type })
        assert.equal(!res.ok && res.error.code, 'illegal-state')
      }
      assert.deepEqual(agent.driver.snapshot().calls.find((c) => c.callId === callId), call, 'the call is as it was')
      assert.deepEqual(agent.facts.slice(mark).filter((f) => f.type !== 'registration'), [], 'no fact from a refused move')
    }
    await refusesAll()
    await agent.driver.execute({ type: 'answer', callId })
    await established(callId)
    await caller.until('established', () => caller.established())
    await refusesAll()
    // Holding a held call is refused too (it used to be answered with nothing done).
    assert.equal((await agent.driver.execute({ type: 'hold', callId })).ok, true)
    await refusesAll()
    await agent.driver.execute({ type: 'hangup', callId })
    await idle()
  })

  it('hold and retrieve both ways: sendonly re-INVITEs, flags on both sides', async () => {
    const caller = await peer('1002')
    const callId = await ring(caller)
    await agent.driver.execute({ type: 'answer', callId })
    await established(callId)
    const s = await caller.until('established', () => caller.established())
    assert.equal((await agent.driver.execute({ type: 'hold', callId })).ok, true)
    assert.equal(agent.driver.snapshot().calls[0]?.flags.held, true, JSON.stringify(agent.facts.slice(-5)))
    const sdh = s.sessionDescriptionHandler as unknown as { remoteSdp: string }
    await caller.until('caller sees sendonly', () => /a=sendonly/.test(sdh.remoteSdp))
    const unhold = await agent.driver.execute({ type: 'unhold', callId })
    assert.equal(unhold.ok, true, JSON.stringify(unhold) + JSON.stringify(agent.facts.slice(-4)))
    await caller.until('caller sees sendrecv', () => /a=sendrecv/.test(sdh.remoteSdp))
    assert.equal(agent.driver.snapshot().calls[0]!.flags.held, false)

    // The caller holds the agent: remoteHeld flag.
    await sleep(200)
    const held = agent.waitFact('call', (c) => c.call.callId === callId && c.call.flags.remoteHeld)
    s.sessionDescriptionHandlerOptionsReInvite = { hold: true } as never
    await s.invite()
    await held
    const back = agent.waitFact('call', (c) => c.call.callId === callId && !c.call.flags.remoteHeld)
    s.sessionDescriptionHandlerOptionsReInvite = { hold: false } as never
    await sleep(200)
    await s.invite()
    await back
    // Mute is a flag (no signalling).
    await agent.driver.execute({ type: 'mute', callId })
    assert.equal(agent.driver.snapshot().calls[0]!.flags.muted, true)
    await agent.driver.execute({ type: 'hangup', callId })
    await idle()
  })

  it('DTMF: SIP INFO both ways; RFC 4733 selectable', async () => {
    const caller = await peer('1002')
    const callId = await ring(caller)
    await agent.driver.execute({ type: 'answer', callId })
    await established(callId)
    const s = await caller.until('established', () => caller.established())
    assert.equal((await agent.driver.execute({ type: 'dtmf', callId, digits: '12#' })).ok, true)
    await caller.until('three INFOs', () => caller.infos.length >= 3)
    assert.deepEqual(
      caller.infos.map((b) => /Signal=(.)/.exec(b)?.[1]),
      ['1', '2', '#']
    )
    const got = agent.waitFact('dtmf', (d) => d.digit === '5')
    await s.info({ requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: 'Signal=5\r\nDuration=100\r\n' } } })
    assert.equal((await got).via, 'info')
    assert.equal((await agent.driver.execute({ type: 'dtmf', callId, digits: '9', mode: 'rfc4733' })).ok, true)
    await agent.driver.execute({ type: 'hangup', callId })
    await idle()
  })

  it('blind transfer: REFER, the caller is connected to the target, the agent leaves', async () => {
    const caller = await peer('1002')
    const target = await peer('2002')
    const callId = await ring(caller)
    await agent.driver.execute({ type: 'answer', callId })
    await established(callId)
    await caller.until('established', () => caller.established())
    const before = caller.sessions.length
    const mark = agent.facts.length
    const res = await agent.driver.execute({ type: 'blindTransfer', callId, target: '2002' })
    assert.equal(res.ok, true, JSON.stringify(res))
    await agent.waitFact('transfer', (t) => t.callId === callId && t.state === 'completed', 5000, mark)
    await caller.until('caller talks to 2002', () => caller.sessions.slice(before).find((x) => x.state === SessionState.Established))
    await target.until('target talks', () => target.established())
    await idle()
    for (const p of [caller, target]) await p.established()?.bye()
  })

  it('attended transfer: consult 2002 (caller held), complete with Replaces', async () => {
    const caller = await peer('1002')
    const target = await peer('2002')
    const callId = await ring(caller)
    await agent.driver.execute({ type: 'answer', callId })
    await established(callId)
    const consult = await agent.driver.execute({ type: 'consult', callId, target: '2002' })
    assert.ok(consult.ok, JSON.stringify(consult))
    const consultId = consult.value.callId!
    assert.equal(agent.driver.snapshot().calls.find((c) => c.callId === callId)!.flags.held, true)
    await established(consultId)
    assert.equal(agent.driver.snapshot().calls.find((c) => c.callId === consultId)!.linkedTo, callId)
    const before = caller.sessions.length
    const res = await agent.driver.execute({ type: 'completeTransfer', callId, consultCallId: consultId })
    assert.equal(res.ok, true, JSON.stringify(res))
    await caller.until('caller joined to 2002', () => caller.sessions.slice(before).find((x) => x.state === SessionState.Established))
    await idle()
    for (const p of [caller, target]) await p.established()?.bye()
  })

  it('hostile INVITEs (letters, 200 digits, no usable SDP) get a clear message and the phone keeps working', async () => {
    const send = (from: string, sdp: string) => sendUdpInvite(rig, '1001', from, sdp)
    const letters = agent.waitFact('incoming')
    await send('abc-DEF', GOOD_SDP)
    const f1 = await letters
    assert.equal(f1.caller.kind, 'invalid')
    assert.match(f1.caller.problem!.zh, /非数字/)
    await agent.driver.execute({ type: 'reject', callId: f1.callId })

    const long = agent.waitFact('incoming')
    await send('1'.repeat(200), GOOD_SDP)
    const f2 = await long
    assert.equal(f2.caller.kind, 'invalid')
    assert.match(f2.caller.problem!.zh, /号码过长/)
    assert.ok(f2.caller.raw.length <= 65)
    await agent.driver.execute({ type: 'reject', callId: f2.callId })

    const nosdp = agent.waitFact('incoming')
    await send('13800138000', 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n')
    const f3 = await nosdp
    const res = await agent.driver.execute({ type: 'answer', callId: f3.callId })
    assert.equal(res.ok, false)
    assert.equal(!res.ok && res.error.code, 'media')
    assert.match(!res.ok ? res.error.message : '', /媒体协商失败/)
    await idle()

    // Still registered and still taking calls.
    assert.equal(agent.driver.snapshot().registration.state, 'registered')
    const caller = await peer('1003')
    const callId = await ring(caller)
    await agent.driver.execute({ type: 'reject', callId })
    await idle()
  })

  it('auto-answer: with the option on, a call is answered by itself', async () => {
    await agent.driver.execute({ type: 'setOptions', options: { autoAnswer: true, autoAnswerDelayMs: 100 } })
    try {
      const caller = await peer('1003')
      const callId = await ring(caller)
      await established(callId)
      await caller.until('caller connected', () => caller.established())
      await agent.driver.execute({ type: 'hangup', callId })
      await idle()
    } finally {
      await agent.driver.execute({ type: 'setOptions', options: { autoAnswer: false } })
    }
  })

  it('malicious-number blocking: rejected before ringing (603), reported as blocked', async () => {
    await agent.driver.execute({ type: 'setOptions', options: { blockedNumbers: ['13900001111'] } })
    const f = agent.waitFact('incoming')
    await sendUdpInvite(rig, '1001', '+8613900001111', GOOD_SDP)
    const got = await f
    assert.equal(got.blocked, true)
    await sleep(200)
    assert.equal(
      agent.facts.some((x) => x.type === 'call' && x.call.callId === got.callId),
      false,
      'a blocked call never rings'
    )
    await agent.driver.execute({ type: 'setOptions', options: { blockedNumbers: [] } })
  })

  it('registration returns within 3 s after Kamailio restarts', async () => {
    const lost = agent.waitFact('registration', (f) => f.registration.state !== 'registered', 8000)
    await rig.stopKamailio()
    await lost
    await sleep(1500)
    const back = agent.waitFact('registration', (f) => f.registration.state === 'registered', 8000)
    await rig.startKamailio()
    const ready = Date.now()
    await back
    const ms = Date.now() - ready
    console.log(`registration back ${ms} ms after Kamailio returned`)
    assert.ok(ms <= 3000, `re-registered after ${ms} ms`)
    // And calls reach the agent again (the in-memory registrar lost everything).
    const caller = await freshPeer('1003')
    const callId = await ring(caller)
    await agent.driver.execute({ type: 'reject', callId })
    await idle()
  })

  it('registration recovers after the namespace link is cut and restored', async () => {
    const lost = agent.waitFact('registration', (f) => f.registration.state !== 'registered', 8000)
    execFileSync('ip', ['link', 'set', 'lo', 'down'])
    try {
      await lost
      await sleep(1500)
    } finally {
      execFileSync('ip', ['link', 'set', 'lo', 'up'])
    }
    const restored = Date.now()
    if (agent.driver.snapshot().registration.state !== 'registered') await agent.waitFact('registration', (f) => f.registration.state === 'registered', 8000)
    const ms = Date.now() - restored
    console.log(`registration back ${ms} ms after the link returned`)
    assert.ok(ms <= 3000, `re-registered after ${ms} ms`)
    const caller = await freshPeer('1004')
    const callId = await ring(caller)
    await agent.driver.execute({ type: 'reject', callId })
    await idle()
  })
})

const GOOD_SDP = ['v=0', 'o=- 7 7 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 49170 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n')

/** A raw INVITE over UDP (Kamailio trusts UDP INVITEs in the rig, like a trunk gateway). Answers are ACKed or ignored. */
function sendUdpInvite(rig: Rig, to: string, fromUser: string, sdp: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4')
    sock.on('error', reject)
    sock.bind(0, '127.0.0.1', () => {
      const port = sock.address().port
      const tag = Math.random().toString(36).slice(2, 10)
      const callId = `hostile-${tag}@127.0.0.1`
      const branch = `z9hG4bK-${tag}`
      const msg = [
        `INVITE sip:${to}@${rig.domain} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=${branch};rport`,
        'Max-Forwards: 10',
        `From: <sip:${fromUser}@127.0.0.1>;tag=${tag}`,
        `To: <sip:${to}@${rig.domain}>`,
        `Call-ID: ${callId}`,
        'CSeq: 1 INVITE',
        `Contact: <sip:gw@127.0.0.1:${port}>`,
        'Content-Type: application/sdp',
        `Content-Length: ${Buffer.byteLength(sdp)}`,
        '',
        sdp
      ].join('\r\n')
      sock.on('message', (m) => {
        const text = m.toString()
        const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0)
        if (status >= 300) {
          const toHdr = /^To: (.*)$/im.exec(text)?.[1] ?? `<sip:${to}@${rig.domain}>`
          const ack = [
            `ACK sip:${to}@${rig.domain} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=${branch};rport`,
            'Max-Forwards: 10',
            `From: <sip:${fromUser}@127.0.0.1>;tag=${tag}`,
            `To: ${toHdr.trim()}`,
            `Call-ID: ${callId}`,
            'CSeq: 1 ACK',
            'Content-Length: 0',
            '',
            ''
          ].join('\r\n')
          sock.send(ack, rig.udp.port, rig.udp.host, () => sock.close())
        }
      })
      sock.send(msg, rig.udp.port, rig.udp.host, (err) => (err ? reject(err) : resolve()))
      setTimeout(() => {
        try {
          sock.close()
        } catch {
          /* closed after the final answer */
        }
      }, 10_000).unref()
    })
  })
}
