import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../e2e/support/browser'
import type { RunningHost } from '../e2e/support/host'
import { startRig, type Rig } from '../rig/rig'
import { bare, serveBarePage, type BareServer } from './support/bare-page'
import { startDesk, type Bridge } from './support/desk-setup'
import { until } from './support/until'

/**
 * A microphone pulled out mid-call. The phone host runs as a page of the test's Chromium (host --no-phone) so the
 * test can unplug a device the way the operating system does: the call's microphone track ends and the browser
 * fires `devicechange` with a device list that no longer has it. The product's own device watch (src/phone/devices.ts)
 * must notice, move the call to the default microphone without renegotiating, and tell the agent.
 */

describe('a microphone pulled out mid-call (Chromium, rtpengine)', { timeout: 180_000 }, () => {
  let rig: Rig
  let browser: Browser
  let server: BareServer
  /** The desk (browser host, UI page, its phone host as a page here) and the caller. */
  let host: RunningHost, ui: Page, phone: Page, bridge: Bridge, caller: Page

  before(async () => {
    rig = await startRig({ runDir: fs.mkdtempSync(path.join(os.tmpdir(), 'rig-devices-')), auth: true, rtpengine: true })
    browser = await launchChromium()
    server = await serveBarePage()
    const desk = await startDesk(rig, browser, '1001', { phoneInPage: true })
    ;({ host, ui, bridge } = desk)
    phone = desk.phone!
    caller = await browser.newPage()
    await caller.goto(server.url)
    await bare(caller, 'start', '1002', rig.users['1002'], rig.wsUrl, rig.domain)
  })
  after(async () => {
    bridge?.close()
    await browser?.close()
    await host?.stop()
    await server?.close()
    await rig?.stop()
  })

  /** The device the live call's microphone track comes from, and whether it is live. */
  const micInUse = () =>
    phone.evaluate<{ deviceId: string; label: string; state: string } | null>(`(() => {
      const p = window.__phone
      const call = p.driver.snapshot().calls.find((c) => c.state === 'established')
      const pc = call && p.driver.sessionOf(call.callId).sessionDescriptionHandler.peerConnection
      const track = pc && pc.getSenders().map((s) => s.track).find((t) => t && t.kind === 'audio')
      return track ? { deviceId: track.getSettings().deviceId, label: track.label, state: track.readyState } : null
    })()`)
  const callerBytes = async (i: number) => (await bare<{ bytes: number }>(caller, 'inbound', i)).bytes

  it('the call stays up on the default microphone, media keeps flowing, and the agent is told', async () => {
    // The agent works on a headset: Chromium's "Fake Audio Input 1", chosen as the phone's microphone.
    const headset = await phone.evaluate<{ deviceId: string; label: string }>(`navigator.mediaDevices.enumerateDevices().then((l) => {
      const d = l.find((x) => x.kind === 'audioinput' && x.label === 'Fake Audio Input 1')
      return { deviceId: d.deviceId, label: d.label }
    })`)
    assert.ok((await bridge.call('phone', 'setDevices', { mic: headset.deviceId })).ok)
    await until('the headset is the chosen microphone', async () => (await bridge.state()).phone.devices?.selected.mic === headset.deviceId)

    await ui.getByRole('button', { name: '签入', exact: true }).click()
    await ui.getByRole('button', { name: '置闲', exact: true }).click()
    const i = await bare<number>(caller, 'call', '1001')
    const card = ui.getByRole('region', { name: '来电信息' })
    await card.filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    await ui.getByRole('button', { name: '接听', exact: true }).click()
    await card.filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
    await until('the caller receives the agent', async () => (await callerBytes(i)) > 2000)
    assert.equal((await micInUse())?.deviceId, headset.deviceId)

    // Unplug: the track ends, and the device list no longer has the headset.
    await phone.evaluate(`(() => {
      const md = navigator.mediaDevices
      const real = md.enumerateDevices.bind(md)
      md.enumerateDevices = () => real().then((l) => l.filter((d) => d.deviceId !== ${JSON.stringify(headset.deviceId)}))
      const p = window.__phone
      const call = p.driver.snapshot().calls.find((c) => c.state === 'established')
      const pc = p.driver.sessionOf(call.callId).sessionDescriptionHandler.peerConnection
      for (const s of pc.getSenders()) if (s.track && s.track.kind === 'audio') s.track.stop()
      md.dispatchEvent(new Event('devicechange'))
    })()`)

    await ui.getByText('所选音频设备不可用，已切换到默认设备').first().waitFor({ timeout: 10_000 })
    const now = await until('the call moved to another live microphone', async () => {
      const m = await micInUse()
      return m && m.deviceId !== headset.deviceId && m.state === 'live' ? m : null
    })
    assert.match(now.label, /Fake Default Audio Input/)
    const devices = (await bridge.state()).phone.devices!
    assert.equal(devices.selected.mic, '')
    assert.ok(!devices.inputs.some((d) => d.deviceId === headset.deviceId), 'the pulled headset is no longer listed')

    // Still the same call, and the caller keeps hearing the agent.
    const before = await callerBytes(i)
    await until('media keeps flowing from the default microphone', async () => (await callerBytes(i)) - before > 4000)
    assert.ok((await bare<number>(caller, 'energy', i, 2000)) > 0.005, 'the caller hears the agent on the default microphone')
    assert.equal((await bare<{ state: string }>(caller, 'inbound', i)).state, 'Established')
    const call = (await bridge.state()).phone.calls.find((c) => c.direction === 'inbound')
    assert.equal(call?.state, 'established')
    assert.match(await card.innerText(), /通话中/)

    await bare(caller, 'hangup', i)
    await card.waitFor({ state: 'detached' })
  })
})
