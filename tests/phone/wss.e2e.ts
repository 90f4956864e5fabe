import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import WebSocket from 'ws'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../e2e/support/browser'
import { startRig, type Rig } from '../rig/rig'
import { bare, serveBarePage, type BareServer } from './support/bare-page'
import { startDesk } from './support/desk-setup'
import { accountFor, makeAgent, Peer } from './support/sip-node'

/**
 * The softphone over secure WebSocket: Kamailio's tls module with a self-signed certificate made for this run.
 * The real driver in Node trusts it through the ws `ca` option (what the OS store or NODE_EXTRA_CA_CERTS does for
 * a real desk); one that does not trust it is refused and keeps retrying. Then the whole desk: its phone host's
 * Chromium told to trust the certificate (--ignore-certificate-errors-spki-list) registers and takes a call
 * answered in the UI; without that, the agent reads why in the phone bar, Chinese first.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
type WsCtor = new (url: string, protocols?: string | string[]) => WebSocket

describe('softphone over WSS (Kamailio tls)', { timeout: 120_000 }, () => {
 let rig: Rig
  let browser: Browser | null = null
  let server: BareServer | null = null
  const g = globalThis as unknown as { WebSocket: WsCtor }
  const plain = g.WebSocket
  /** sip.js opens its socket with the global WebSocket: this one trusts the rig's certificate. */
  let trusting: WsCtor

  before(async () => {
    rig = await startRig({ runDir: fs.mkdtempSync(path.join(os.tmpdir(), 'rig-wss-')), auth: true, rtpengine: false, tls: true })
    const ca = rig.tls!.certPem
    trusting = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { ca })
      }
    } as unknown as WsCtor
  })
  after(async () => {
    g.WebSocket = plain
    delete process.env.DESK_PHONE_CHROMIUM_ARGS
    await browser?.close()
    await server?.close()
    await rig?.stop()
  })

  it('registers over wss:// and takes a call from a party on plain ws://', async () => {
    g.WebSocket = trusting
    const agent = makeAgent()
    const caller = await new Peer(rig, '1002').start()
    try {
      const registered = agent.waitFact('registration', (f) => f.registration.state === 'registered', 10_000)
      assert.equal((await agent.driver.execute({ type: 'register', account: { ...accountFor(rig, '1001'), server: rig.wssUrl! } })).ok, true)
      const reg = (await registered).registration
      assert.equal(reg.transport, 'connected')
      const incoming = agent.waitFact('incoming')
      caller.call('1001')
      const f = await incoming
      assert.equal(f.caller.raw, '1002')
      await agent.waitFact('call', (c) => c.call.callId === f.callId && c.call.state === 'ringing', 5000, 0)
      assert.equal((await agent.driver.execute({ type: 'answer', callId: f.callId })).ok, true)
      await agent.waitFact('call', (c) => c.call.callId === f.callId && c.call.state === 'established', 5000, 0)
      await caller.until('established', () => caller.established())
      const ended = agent.waitFact('call', (c) => c.call.callId === f.callId && c.call.state === 'terminated')
      assert.equal((await agent.driver.execute({ type: 'hangup', callId: f.callId })).ok, true)
      assert.equal((await ended).call.endedBy, 'local')
    } finally {
      await caller.stop().catch(() => undefined)
      await agent.driver.dispose()
    }
  })

  it('a certificate the phone does not trust: no registration, the failure is reported and retried', async () => {
    g.WebSocket = plain
    const agent = makeAgent()
    try {
      const failed = agent.waitFact('registration', (f) => f.registration.state === 'failed', 10_000)
      await agent.driver.execute({ type: 'register', account: { ...accountFor(rig, '1003'), server: rig.wssUrl! } })
      const f = await failed
      assert.equal(f.registration.reason?.code, 'transport-failed')
      await sleep(300)
      assert.notEqual(agent.driver.snapshot().registration.state, 'registered')
    } finally {
      await agent.driver.dispose()
    }
  })

  it('the desk with a certificate its phone does not trust: the phone bar says why, Chinese first', async () => {
    delete process.env.DESK_PHONE_CHROMIUM_ARGS
    browser ??= await launchChromium([`--ignore-certificate-errors-spki-list=${rig.tls!.spkiSha256}`])
    const { host, ui, bridge } = await startDesk(rig, browser, '1001', { wsUrl: rig.wssUrl!, registered: false })
    try {
      const status = ui.getByTestId('phone-registration')
      await status.filter({ hasText: '呼叫服务器的证书不受信任' }).waitFor({ timeout: 30_000 })
      assert.doesNotMatch(await status.innerText(), /可接听/)
      const reg = (await bridge.state()).phone.registration!
      assert.equal(reg.reason?.code, 'tls-untrusted')
      assert.match(reg.reason!.messageEn, /certificate is not trusted/)
    } finally {
      bridge.close()
      await ui.close()
      await host.stop()
    }
  })

  it('the desk trusting the certificate registers over wss:// and the UI answers a call with media both ways', async () => {
    process.env.DESK_PHONE_CHROMIUM_ARGS = `--ignore-certificate-errors-spki-list=${rig.tls!.spkiSha256}`
    browser ??= await launchChromium([`--ignore-certificate-errors-spki-list=${rig.tls!.spkiSha256}`])
    server = await serveBarePage()
    const { host, ui, bridge } = await startDesk(rig, browser, '1001', { wsUrl: rig.wssUrl! })
    try {
      const caller = await browser.newPage()
      await caller.goto(server.url)
      // The caller is on wss:// too (the certificate trusted by this test browser's SPKI flag).
      await bare(caller, 'start', '1002', rig.users['1002'], rig.wssUrl, rig.domain)
      const i = await bare<number>(caller, 'call', '1001')
      const card = ui.getByRole('region', { name: '来电信息' })
      await card.filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
      await ui.getByRole('button', { name: '接听', exact: true }).click()
      await card.filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
      for (let n = 0; ; n++) {
        const q = (await bridge.state()).phone.quality[0]
        const callerBytes = (await bare<{ bytes: number }>(caller, 'inbound', i)).bytes
        if ((q?.bytesReceived ?? 0) > 2000 && callerBytes > 2000) break
        assert.ok(n < 100, `media both ways over the wss-signalled call (agent ${q?.bytesReceived}, caller ${callerBytes})`)
        await sleep(100)
      }
      await bare(caller, 'hangup', i)
      await card.waitFor({ state: 'detached' })
    } finally {
      bridge.close()
      await host.stop()
    }
  })
})
