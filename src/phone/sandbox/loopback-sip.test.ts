import { describe, expect, it } from 'vitest'
import { type Invitation, Inviter, Registerer, RegistererState, SessionState, UserAgent, type SessionDescriptionHandler } from 'sip.js'
import { LoopbackSipSwitch, LoopbackTransport } from './loopback-sip'

// Signalling only: a minimal SDP handler stands in for WebRTC here (media between
// local peers is exercised in Chromium by the sandbox-call e2e test).
const fakeSdh = (): SessionDescriptionHandler => ({
  close: () => undefined,
  getDescription: async () => ({ body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n', contentType: 'application/sdp' }),
  hasDescription: (ct: string) => ct === 'application/sdp',
  setDescription: async () => undefined,
  sendDtmf: () => true
})

function ua(sw: LoopbackSipSwitch, user: string, onInvite?: (i: Invitation) => void): UserAgent {
  return new UserAgent({
    uri: UserAgent.makeURI(`sip:${user}@sandbox.invalid`),
    transportConstructor: LoopbackTransport,
    transportOptions: { switch: sw, name: user },
    sessionDescriptionHandlerFactory: fakeSdh,
    logLevel: 'error',
    delegate: onInvite ? { onInvite } : undefined
  })
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('loopback SIP switch (sandbox calls without a server)', () => {
  it('registers the agent, rings it with the citizen number, connects and hangs up', async () => {
    const sw = new LoopbackSipSwitch()
    let ringing: Invitation | null = null
    const agent = ua(sw, '8001', (i) => (ringing = i))
    const citizen = ua(sw, '13907751234')
    await agent.start()
    await citizen.start()
    const reg = new Registerer(agent)
    await reg.register()
    await until(() => reg.state === RegistererState.Registered)

    const call = new Inviter(citizen, UserAgent.makeURI('sip:8001@sandbox.invalid')!)
    await call.invite()
    await until(() => ringing !== null)
    expect(ringing!.remoteIdentity.uri.user).toBe('13907751234')
    await ringing!.accept()
    await until(() => call.state === SessionState.Established)
    await call.bye()
    await until(() => ringing!.state === SessionState.Terminated)
    expect(sw.trace.map((t) => t.startLine.split(' ')[0])).toEqual(expect.arrayContaining(['REGISTER', 'INVITE', 'ACK', 'BYE']))
    await agent.stop()
    await citizen.stop()
  })

  it('answers 404 for a user nobody registered, and the caller sees the call fail', async () => {
    const sw = new LoopbackSipSwitch()
    const citizen = ua(sw, '13907751234')
    await citizen.start()
    const call = new Inviter(citizen, UserAgent.makeURI('sip:9999@sandbox.invalid')!)
    let status = 0
    await call.invite({ requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } })
    await until(() => call.state === SessionState.Terminated)
    expect(status).toBe(404)
    await citizen.stop()
  })

  it("hands an agent's call to an unregistered number to onUnknownUser, and the answerer's Contact carries ACK and BYE", async () => {
    const sw = new LoopbackSipSwitch()
    let answered: Invitation | null = null
    const asked: string[] = []
    sw.onUnknownUser = async (user) => {
      asked.push(user)
      if (user === 'nobody') return null
      const callee = ua(sw, user, (i) => {
        answered = i
        void i.accept()
      })
      await callee.start()
      return (callee as unknown as { transport: LoopbackTransport }).transport
    }
    const agent = ua(sw, '8001')
    await agent.start()
    const call = new Inviter(agent, UserAgent.makeURI('sip:13907751234@sandbox.invalid')!)
    await call.invite()
    await until(() => call.state === SessionState.Established)
    expect(asked).toEqual(['13907751234'])
    await call.bye()
    await until(() => answered!.state === SessionState.Terminated)

    const nowhere = new Inviter(agent, UserAgent.makeURI('sip:nobody@sandbox.invalid')!)
    let status = 0
    await nowhere.invite({ requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } })
    await until(() => nowhere.state === SessionState.Terminated)
    expect(status).toBe(404)
    await agent.stop()
  })

  it('drops garbage without breaking the next call', async () => {
    const sw = new LoopbackSipSwitch()
    let rang = 0
    const agent = ua(sw, '8001', (i) => {
      rang++
      void i.reject()
    })
    await agent.start()
    const t = (agent as unknown as { transport: LoopbackTransport }).transport
    sw.route(t, 'NOT SIP AT ALL\r\n\r\n')
    sw.route(t, '')
    const citizen = ua(sw, '13907751234')
    await citizen.start()
    const call = new Inviter(citizen, UserAgent.makeURI('sip:8001@sandbox.invalid')!)
    await call.invite()
    await until(() => call.state === SessionState.Terminated)
    expect(rang).toBe(1)
    await agent.stop()
    await citizen.stop()
  })
})
