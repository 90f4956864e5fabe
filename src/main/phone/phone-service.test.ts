import { describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../logging'
import { DomainBus, type DomainEvents } from '../features/bus'
import type { AppState } from '../../shared/ipc/state'
import { CALL_COMMANDS, DEFAULT_REGISTRATION, NO_FLAGS, allowedCallCommands, type CallCommand, type CallSnapshot, type PhoneCommand, type PhoneFact, type PhoneFactBody } from '../../shared/phone'
import { PhoneCommandError, PhoneService } from './phone-service'
import { commandFor, testHub, testSnapshot } from './test-support'
import type { UiMessage } from '../../shared/messages'

/**
 * The main side of the softphone with a scripted phone host: commands it sends,
 * the topic it publishes, the agent state it derives from calls, masking per
 * role, and the bus event at the end of a call. (The real phone host is proven
 * against Kamailio in tests/phone.)
 */
function setup(roles: ('agent' | 'qa')[] = ['agent'], opts: { answerQuietMs?: number } = {}) {
  let now = 10_000
  const hub = testHub(null)
  const sent: PhoneCommand[] = []
  const platformCalls: { op: string; body: unknown }[] = []
  const ended: DomainEvents['call.ended'][] = []
  const notices: string[] = []
  const bus = new DomainBus()
  bus.on('call.ended', (e) => ended.push(e))
  const ctx = {
    config: { sip: { wsUrl: 'ws://127.0.0.1:8088', user: '1001', password: 'pw', domain: 'example', callerId: '12345', surveyTarget: 'survey', acwSeconds: 30, dtmfMode: 'rfc4733' } },
    log: createMemoryLogger(),
    hub,
    session: {},
    audit: { record: async () => undefined },
    notify: (_level: string, message: UiMessage) => void notices.push(message.key),
    bus,
    platform: {
      call: async (op: string, req?: { body?: unknown }) => {
        platformCalls.push({ op, body: req?.body })
        if (op === 'listMaliciousNumbers') return { items: [{ phone: '13900001111', reason: 'x', addedBy: 'a', addedAt: '' }] }
        return {}
      }
    },
    // The scripted phone host answers every command at once.
    sendPhoneCommand: (c: { type: string; id?: number; command?: PhoneCommand }) => {
      if (c.type !== 'driver') return
      sent.push(c.command!)
      queueMicrotask(() => svc.commandResult(c.id!, { ok: true, value: { callId: c.command!.type === 'dial' ? 'out-1' : null } }))
    }
  }
  const svc: PhoneService = new PhoneService(ctx as never, { now: () => now, ...opts })
  const signIn = () => hub.set('session', { user: { id: 'u1', username: 'agent01', displayName: '张三', roles, seatId: 'S1' }, since: 1 })
  const hostAlive = (since = 5) => hub.set('phoneHost', { status: 'alive', since, lastHeartbeat: since, restarts: 0, userAgent: 'x' })
  let seq = 0
  const fact = (f: PhoneFactBody) => svc.fact({ ...f, seq: ++seq, at: now } as PhoneFact)
  const call = (patch: Partial<CallSnapshot>): CallSnapshot => testSnapshot('in-1', '13800138000', { sipCallId: 'x', ...patch }, now)
  const flush = () => new Promise((r) => setTimeout(r, 0))
  return { notices, hub, svc, sent, platformCalls, ended, signIn, hostAlive, fact, call, flush, advance: (ms: number) => (now += ms) }
}

/** Signed in, 置闲, and a call ringing (in-1). */
function ringingWhileReady() {
  const t = setup()
  t.hostAlive()
  t.signIn()
  t.svc.signIn()
  t.svc.agentMove('ready')
  t.fact({ type: 'call', call: t.call({}), previous: 'idle' })
  return t
}

describe('PhoneService', () => {
  it('registers the configured account once the phone host is alive and someone is signed in, with the malicious list', async () => {
    const t = setup()
    t.hostAlive()
    expect(t.sent).toEqual([])
    t.signIn()
    await t.flush()
    await t.flush()
    const types = t.sent.map((c) => c.type)
    expect(types).toContain('register')
    const reg = t.sent.find((c) => c.type === 'register') as Extract<PhoneCommand, { type: 'register' }>
    expect(reg.account.aor).toBe('sip:1001@example')
    await t.flush()
    const opts = t.sent.filter((c) => c.type === 'setOptions').at(-1) as Extract<PhoneCommand, { type: 'setOptions' }>
    expect(opts.options.blockedNumbers).toEqual(['13900001111'])
    // The keypad's digits go out by the configured method (sip.dtmfMode).
    expect(t.sent.find((c) => c.type === 'setOptions' && c.options.dtmfMode)).toMatchObject({ options: { dtmfMode: 'rfc4733' } })
  })

  it('re-registers after the phone host restarts (a new hello)', async () => {
    const t = setup()
    t.hostAlive(5)
    t.signIn()
    await t.flush()
    const before = t.sent.filter((c) => c.type === 'register').length
    t.hostAlive(99)
    await t.flush()
    expect(t.sent.filter((c) => c.type === 'register').length).toBe(before + 1)
  })

  it('publishes registration and calls to the phone topic; ties the agent state to the call; emits call.ended', async () => {
    const t = setup()
    t.hostAlive()
    t.signIn()
    t.svc.signIn()
    expect(t.hub.get('phone').agent.status).toBe('not-ready')
    t.svc.agentMove('ready')
    t.fact({ type: 'registration', registration: { ...DEFAULT_REGISTRATION(1), state: 'registered', transport: 'connected' } })
    expect(t.hub.get('phone').registration?.state).toBe('registered')

    t.fact({ type: 'call', call: t.call({}), previous: 'idle' })
    expect(t.hub.get('phone').calls[0]!.peer.display).toBe('138 0013 8000')
    expect(t.hub.get('phone').agent.status).toBe('ringing')
    t.fact({ type: 'call', call: t.call({ state: 'established', answeredAt: 11_000 }), previous: 'answering' })
    expect(t.hub.get('phone').agent.status).toBe('in-call')
    t.fact({ type: 'call', call: t.call({ state: 'established', answeredAt: 11_000, flags: { ...NO_FLAGS, held: true } }), previous: null })
    t.advance(4000)
    t.fact({ type: 'call', call: t.call({ state: 'established', answeredAt: 11_000 }), previous: null })
    t.advance(1000)
    t.fact({ type: 'call', call: t.call({ state: 'terminated', answeredAt: 11_000, endedAt: 20_000, endedBy: 'remote' }), previous: 'established' })
    const phone = t.hub.get('phone')
    expect(phone.calls).toEqual([])
    expect(phone.agent.status).toBe('after-call-work')
    expect(phone.agent.acwEndsAt).toBe(15_000 + 30_000)
    expect(t.ended).toHaveLength(1)
    expect(t.ended[0]).toMatchObject({ callId: 'in-1', direction: 'inbound', remoteNumber: '13800138000', actor: 'agent01', holdMs: 4000, endedBy: 'remote', purpose: 'hotline' })
    await t.flush()
    expect(t.platformCalls.filter((c) => c.op === 'setMyAgentState').map((c) => (c.body as { state: string }).state)).toEqual(['not_ready', 'ready', 'ringing', 'in_call', 'after_call_work'])
  })

  it('from 接听 until the first audio, windows get no state change and the platform no agent state; then both catch up at once', async () => {
    const t = ringingWhileReady()
    await t.flush()
    const seen: string[] = []
    t.hub.onChange((c) => seen.push(c.topic === 'phone' ? `phone:${(c.value as AppState['phone']).calls[0]?.state ?? '-'}` : c.topic))
    const platformBefore = t.platformCalls.length

    const answered = t.svc.run({ type: 'answer', callId: 'in-1' })
    t.fact({ type: 'call', call: t.call({ state: 'answering' }), previous: 'ringing' })
    t.fact({ type: 'call', call: t.call({ state: 'established', answeredAt: 10_050 }), previous: 'answering' })
    let done = false
    void answered.then(() => (done = true))
    await t.flush()
    // main knows at once; nobody else is told yet, and the 接听 command has not returned (the button stays busy)
    expect(t.hub.get('phone').calls[0]!.state).toBe('established')
    expect(t.hub.get('phone').agent.status).toBe('in-call')
    expect(seen).toEqual([])
    expect(t.platformCalls.slice(platformBefore)).toEqual([])
    expect(done).toBe(false)

    const sample = { callId: 'in-1', at: 10_080, rttMs: null, jitterMs: null, lossPct: null, mos: null, bytesSent: 100, bytesReceived: 100, audioLevel: null, warning: false, firstMediaAt: 10_080 }
    t.fact({ type: 'quality', sample } as never)
    await answered
    await t.flush()
    expect(seen).toEqual(['phone:established'])
    // 振铃 waited for the screen pop (answered within it, then for the first audio): told in order, after it.
    expect(t.platformCalls.slice(platformBefore).map((c) => (c.body as { state: string }).state)).toEqual(['ringing', 'in_call'])
  })

  it('when no audio comes, the windows are told anyway after answerQuietMs; a call that ends meanwhile is shown at once', async () => {
    const t = setup(['agent'], { answerQuietMs: 20 })
    t.hostAlive()
    t.signIn()
    t.fact({ type: 'call', call: t.call({}), previous: 'idle' })
    const seen: string[] = []
    t.hub.onChange((c) => c.topic === 'phone' && seen.push((c.value as AppState['phone']).calls[0]?.state ?? '-'))
    t.fact({ type: 'call', call: t.call({ state: 'answering' }), previous: 'ringing' })
    t.fact({ type: 'call', call: t.call({ state: 'established', answeredAt: 10_050 }), previous: 'answering' })
    expect(seen).toEqual([])
    await new Promise((r) => setTimeout(r, 40))
    expect(seen).toEqual(['established'])

    t.fact({ type: 'call', call: t.call({ callId: 'in-2' }), previous: 'idle' })
    t.fact({ type: 'call', call: t.call({ callId: 'in-2', state: 'answering' }), previous: 'ringing' })
    const before = seen.length
    t.fact({ type: 'call', call: t.call({ callId: 'in-2', state: 'terminated', endedBy: 'remote', cause: null }), previous: 'answering' })
    expect(seen.length).toBeGreaterThan(before)
  })

  it('a missed call puts the agent 置忙 with reason missed; a rejected one goes back to 置闲', () => {
    const t = ringingWhileReady()
    t.fact({ type: 'call', call: t.call({ state: 'terminated', endedBy: 'local' }), previous: 'ringing' })
    expect(t.hub.get('phone').agent.status).toBe('ready')
    t.fact({ type: 'call', call: t.call({ callId: 'in-2' }), previous: 'idle' })
    t.fact({ type: 'call', call: t.call({ callId: 'in-2', state: 'terminated', endedBy: 'remote' }), previous: 'ringing' })
    expect(t.hub.get('phone').agent).toMatchObject({ status: 'not-ready', reason: 'missed' })
  })

  it('refuses each move the call does not allow now, with the state and the move, and sends the phone host nothing', async () => {
    const t = ringingWhileReady()
    await t.flush()
    const tryMove = (callId: string, type: CallCommand) => t.svc.run(commandFor(type, callId)).then(() => null, (err: unknown) => err)
    const refusedIn = async (state: string, call: CallSnapshot) => {
      const mark = t.sent.length
      for (const type of CALL_COMMANDS.filter((c) => !allowedCallCommands(call).includes(c))) {
        const err = await tryMove(call.callId, type)
        expect(err, `${type} in ${state}`).toBeInstanceOf(PhoneCommandError)
        expect((err as PhoneCommandError).error).toMatchObject({ code: 'illegal-state', illegalMove: { machine: 'call', state: call.state, move: type } })
      }
      expect(t.sent.slice(mark)).toEqual([])
    }
    await refusedIn('ringing', t.call({}))
    const held = t.call({ state: 'established', answeredAt: 11_000, flags: { ...NO_FLAGS, held: true } })
    t.fact({ type: 'call', call: held, previous: 'ringing' })
    await refusedIn('established, held', held)
    // An allowed move still goes to the phone host.
    await t.svc.run({ type: 'unhold', callId: 'in-1' })
    expect(t.sent.at(-1)).toEqual({ type: 'unhold', callId: 'in-1' })
  })

  it('the refusal of 签出 during a call names the agent state and the move', () => {
    const t = setup()
    t.hostAlive()
    t.signIn()
    t.svc.signIn()
    t.svc.agentMove('ready')
    t.fact({ type: 'call', call: t.call({ state: 'established', answeredAt: 1 }), previous: 'answering' })
    let err: unknown = null
    try {
      t.svc.agentMove('signed-out')
    } catch (e) {
      err = e
    }
    expect((err as PhoneCommandError).error.illegalMove).toEqual({ machine: 'agent', state: 'in-call', move: 'signed-out' })
  })

  it('refuses 签出 during a call with a clear message', () => {
    const t = setup()
    t.hostAlive()
    t.signIn()
    t.svc.signIn()
    t.fact({ type: 'call', call: t.call({ state: 'established', answeredAt: 1 }), previous: 'answering' })
    expect(() => t.svc.agentMove('signed-out')).toThrow(/sign out/)
  })

  it('masks the caller number for roles that may not see citizen contact data', () => {
    const t = setup(['qa'])
    t.hostAlive()
    t.signIn()
    t.fact({ type: 'call', call: t.call({}), previous: 'idle' })
    const peer = t.hub.get('phone').calls[0]!.peer
    expect(peer.normalised).toBe('138****8000')
    expect(peer.raw).not.toContain('0013')
    expect(peer.display).not.toContain('0013')
  })

  it('a dial for a callback is tagged so call.ended carries purpose and ticket', async () => {
    const t = setup()
    t.hostAlive()
    t.signIn()
    const res = await t.svc.run({ type: 'dial', target: '13800138000', callerId: t.svc.callbackCallerId() }, { purpose: 'callback', ticketId: 'T-1' })
    expect(res.callId).toBe('out-1')
    const dial = t.sent.find((c) => c.type === 'dial') as Extract<PhoneCommand, { type: 'dial' }>
    expect(dial.callerId?.pAssertedIdentity).toBe('<sip:12345@example>')
    t.fact({ type: 'call', call: t.call({ callId: 'out-1', direction: 'outbound', state: 'terminated', endedBy: 'remote', cause: null }), previous: 'dialing' })
    expect(t.ended[0]).toMatchObject({ purpose: 'callback', ticketId: 'T-1', direction: 'outbound' })
  })

  it('auto-answer is set on the phone host, shown in the topic and kept across a phone-host restart', async () => {
    const t = setup()
    t.hostAlive(5)
    t.signIn()
    await t.svc.setAutoAnswer(true)
    expect(t.hub.get('phone').autoAnswer).toBe(true)
    const mark = t.sent.length
    t.hostAlive(77)
    await t.flush()
    await t.flush()
    const after = t.sent.slice(mark)
    expect(after.some((c) => c.type === 'setOptions' && c.options.autoAnswer === true)).toBe(true)
    expect(after.some((c) => c.type === 'register')).toBe(true)
  })

  it('publishes the devices and tells the agent when a chosen one disappeared', () => {
    const t = setup()
    t.hostAlive()
    t.signIn()
    const devices = { inputs: [{ deviceId: 'd1', label: 'USB 耳麦', kind: 'audioinput' as const }], outputs: [], selected: { mic: '', speaker: '', ringer: '' } }
    t.fact({ type: 'devices', devices, fallback: { kind: 'mic', from: 'headset-1', to: 'default' } })
    expect(t.hub.get('phone').devices?.inputs[0]!.label).toBe('USB 耳麦')
    expect(t.notices.at(-1)).toBe('phoneError.device-missing')
    const told = t.notices.length
    t.fact({ type: 'devices', devices, fallback: null })
    expect(t.notices).toHaveLength(told)
    t.fact({ type: 'devices', devices, fallback: null, micRestored: true })
    expect(t.notices.at(-1)).toBe('notice.micRestored')
  })

  it('self-check combines registration with the microphone check of the phone host', async () => {
    const t = setup()
    t.hostAlive()
    t.signIn()
    t.fact({ type: 'registration', registration: { ...DEFAULT_REGISTRATION(1), state: 'registered', transport: 'connected', roundTripMs: 21 } })
    const pending = t.svc.selfCheck()
    await t.flush()
    t.fact({ type: 'selfCheck', micLevel: 0.2, micLabel: 'Fake', speakerOk: true, error: null })
    const r = await pending
    expect(r).toEqual({ ok: true, registration: { ok: true, roundTripMs: 21 }, microphone: { ok: true, level: 0.2, label: 'Fake' }, speaker: { ok: true } })
  })
})
