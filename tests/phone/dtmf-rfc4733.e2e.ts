import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../e2e/support/browser'
import { startRig, type Rig } from '../rig/rig'
import { bare, serveBarePage, type BareServer } from './support/bare-page'
import { startDesk } from './support/desk-setup'
import { until } from './support/until'

/**
 * The keypad with `sip.dtmfMode: 'rfc4733'`: digits pressed in the UI travel as telephone-events in the call's
 * RTP, not as SIP INFO. rtpengine, which decrypts the agent's SRTP, reports every RFC 4733 event it sees as one
 * JSON datagram (dtmf-log-dest): that is the far end's view of the digits.
 */
describe('keypad digits as RFC 4733 telephone-events (Chromium, rtpengine)', { timeout: 120_000 }, () => {
  const DTMF_LOG_PORT = 9998
  let rig: Rig
  let browser: Browser
  let server: BareServer
  let desk: Awaited<ReturnType<typeof startDesk>>
  const events: { event?: number; [k: string]: unknown }[] = []
  const log = dgram.createSocket('udp4')

  before(async () => {
    await new Promise<void>((r) => log.bind(DTMF_LOG_PORT, '127.0.0.1', r))
    log.on('message', (m) => events.push(JSON.parse(m.toString()) as { event?: number }))
    rig = await startRig({ runDir: fs.mkdtempSync(path.join(os.tmpdir(), 'rig-dtmf-')), auth: true, rtpengine: true, dtmfLogPort: DTMF_LOG_PORT })
    browser = await launchChromium()
    server = await serveBarePage()
    desk = await startDesk(rig, browser, '1001', { sip: { dtmfMode: 'rfc4733' } })
  })
  after(async () => {
    desk?.bridge.close()
    await browser?.close()
    await desk?.host.stop()
    await server?.close()
    await rig?.stop()
    log.close()
  })

  it('a clicked and a typed digit reach the far end in the RTP, and no SIP INFO is sent', async () => {
    const { ui } = desk
    const caller = await browser.newPage()
    await caller.goto(server.url)
    await bare(caller, 'start', '1002', rig.users['1002'], rig.wsUrl, rig.domain)
    const i = await bare<number>(caller, 'call', '1001')
    const card = ui.getByRole('region', { name: '来电信息' })
    await card.filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    await ui.getByRole('button', { name: '接听', exact: true }).click()
    await card.filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
    await until('media reaches the caller', async () => (await bare<{ bytes: number }>(caller, 'inbound', i)).bytes > 2000)

    await ui.getByRole('button', { name: '拨号盘', exact: true }).click()
    const pad = ui.getByRole('group', { name: '拨号盘' })
    await pad.getByRole('button', { name: '按键 7' }).click()
    await ui.keyboard.press('#')
    // RFC 4733: '#' is event 11. rtpengine may report an event more than once (start and end of the tone).
    const seen = await until('two telephone-events at rtpengine', async () => {
      const digits = events.map((e) => e.event).filter((e, n, all) => e !== undefined && e !== all[n - 1])
      return digits.length >= 2 ? digits : null
    })
    assert.deepEqual(seen.slice(0, 2), [7, 11])
    const infos = await caller.evaluate(() => (window as unknown as { bare: { infos: string[] } }).bare.infos.length)
    assert.equal(infos, 0, 'no SIP INFO when the method is RFC 4733')
    await bare(caller, 'hangup', i)
    await card.waitFor({ state: 'detached' })
  })
})
