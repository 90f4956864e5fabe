import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { bare } from './support/bare-page'
import type { Bridge } from './support/desk-setup'
import { startThreeParties, type ThreeParties } from './support/three-parties'
import { until } from './support/until'

/**
 * The softphone with real media: Kamailio + rtpengine, the desk (browser host,
 * phone host in headless Chromium, UI page), and a caller that is a bare sip.js
 * page in another Chromium. The agent works the UI by its accessible names.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('softphone media through rtpengine (Chromium)', { timeout: 240_000 }, () => {
  let ui: Page
  let bridge: Bridge
  let caller: Page
  let target: Page
  let parties: ThreeParties

  before(async () => {
    parties = await startThreeParties('rig-media-')
    ;({ ui, bridge, caller, target } = parties)
  })
  after(() => parties?.stop())

  const card = () => ui.getByRole('region', { name: '来电信息' })
  const button = (name: string) => ui.getByRole('button', { name, exact: true })
  async function callerBytes(i: number): Promise<number> {
    return (await bare<{ bytes: number }>(caller, 'inbound', i)).bytes
  }
  async function agentQuality() {
    const s = await bridge.state()
    return s.phone.quality[0] ?? null
  }

  it('上岗自检: registration, the microphone picks up sound, the devices are listed', async () => {
    const devicesButton = ui.getByRole('button', { name: '设备', exact: true })
    await devicesButton.click()
    await ui.getByRole('button', { name: '上岗自检' }).click()
    const status = ui.getByTestId('self-check')
    await status.waitFor({ timeout: 15_000 })
    const text = await status.innerText()
    assert.match(text, /话机注册：正常/)
    assert.match(text, /麦克风：正常/)
    const devices = (await bridge.state()).phone.devices
    assert.ok(devices && devices.inputs.length >= 1, 'the phone host lists its microphones')
    await devicesButton.click()
  })

  it('a caller rings the agent, the caller card shows the number, the UI answers, media flows both ways', async () => {
    await button('签入').click()
    await button('置闲').click()
    await ui.getByTestId('agent-status').filter({ hasText: '空闲' }).waitFor()
    const i = await bare<number>(caller, 'call', '1001')
    await card().waitFor({ timeout: 10_000 })
    assert.match(await card().innerText(), /1002/)
    assert.match(await card().innerText(), /来电振铃/)
    await ui.getByTestId('agent-status').filter({ hasText: '振铃' }).waitFor()
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })

    // Agent → caller: bytes and audible energy (Chromium's fake microphone beeps).
    await until('caller receives RTP', async () => (await callerBytes(i)) > 2000)
    const heard = await bare<number>(caller, 'energy', i, 2500)
    assert.ok(heard > 0.005, `caller hears the agent (peak RMS ${heard})`)
    // Caller → agent: the phone host's getStats, through main's phone topic.
    const q = await until('agent receives RTP', async () => {
      const s = await agentQuality()
      return s && (s.bytesReceived ?? 0) > 2000 && (s.bytesSent ?? 0) > 2000 ? s : null
    })
    assert.ok(q.mos === null || (q.mos >= 1 && q.mos <= 4.5))
    const level = await until('agent hears the caller', async () => {
      const s = await agentQuality()
      return s && (s.audioLevel ?? 0) > 0.001 ? s.audioLevel : null
    })
    assert.ok(level! > 0.001)
    await ui.getByTestId('agent-status').filter({ hasText: '通话中' }).waitFor()
    // The 麦克风电平 meter in the caller card follows the agent's microphone (the fake one beeps), with no silence alarm.
    const meter = card().getByTestId('mic-level')
    const mic = await until('the microphone level meter shows sound', async () => {
      const v = (await meter.count()) ? await meter.evaluate((m) => (m as HTMLMeterElement).value) : 0
      return v > 0.001 ? v : null
    })
    assert.equal(await meter.getAttribute('aria-label'), '麦克风电平')
    assert.ok(mic > 0.001, `microphone level ${mic}`)
    assert.equal(await card().getByTestId('mic-silent').count(), 0)
  })

  it('hold stops the audio to the caller; retrieve brings it back', async () => {
    const i = 0
    await button('保持').click()
    await card().filter({ hasText: '已保持' }).waitFor()
    const s1 = await bare<{ sdp: string }>(caller, 'inbound', i)
    assert.match(s1.sdp, /a=(sendonly|inactive)/)
    await sleep(1500)
    // The caller stops sending (its answer is recvonly) and hears nothing of the agent.
    const a = (await agentQuality())!.bytesReceived!
    await sleep(2200)
    const b = (await agentQuality())!.bytesReceived!
    assert.ok(b - a < 400, `the agent receives nothing while the caller is held (${b - a} bytes)`)
    const heard = await bare<number>(caller, 'energy', i, 1500)
    assert.ok(heard < 0.002, `the caller hears nothing of the agent while held (peak RMS ${heard})`)
    await button('取回').click()
    await button('保持').waitFor()
    const c = (await agentQuality())!.bytesReceived!
    await until('the caller is heard again after retrieve', async () => ((await agentQuality())!.bytesReceived ?? 0) - c > 2000)
    assert.ok((await bare<number>(caller, 'energy', i, 2500)) > 0.005, 'the caller hears the agent again')
  })

  it('DTMF: the agent sends digits (SIP INFO) and the caller gets them', async () => {
    const callId = (await bridge.state()).phone.calls[0]!.callId
    const res = await bridge.call('phone', 'dtmf', { callId, digits: '1#' })
    assert.ok(res.ok, JSON.stringify(res))
    await until('two digits at the caller', async () => (await caller.evaluate(() => (window as unknown as { bare: { infos: string[] } }).bare.infos.length)) >= 2)
    const infos = await caller.evaluate(() => (window as unknown as { bare: { infos: string[] } }).bare.infos)
    assert.deepEqual(
      infos.map((b) => /Signal=(.)/.exec(b)?.[1]),
      ['1', '#']
    )
  })

  it('DTMF from the on-screen keypad (拨号盘): a clicked and a typed digit reach the caller in order', async () => {
    const infos = () => caller.evaluate(() => (window as unknown as { bare: { infos: string[] } }).bare.infos.slice())
    const before = (await infos()).length
    await button('拨号盘').click()
    const pad = ui.getByRole('group', { name: '拨号盘' })
    await pad.getByRole('button', { name: '按键 5' }).click()
    // Focus is inside the keypad now: the keyboard presses its keys.
    await ui.keyboard.press('9')
    await until('two more digits at the caller', async () => (await infos()).length >= before + 2)
    assert.deepEqual(
      (await infos()).slice(before).map((b) => /Signal=(.)/.exec(b)?.[1]),
      ['5', '9']
    )
    assert.equal(await pad.getByTestId('dtmf-sent').innerText(), '59')
    await button('拨号盘').click()
    await pad.waitFor({ state: 'hidden' })
  })

  it('a UI reload during the call keeps the call (it lives in the phone host)', async () => {
    const before = await callerBytes(0)
    await ui.reload()
    await card().filter({ hasText: '通话中' }).waitFor({ timeout: 20_000 })
    await until('media still flowing', async () => (await callerBytes(0)) - before > 4000)
    assert.equal((await bare<{ state: string }>(caller, 'inbound', 0)).state, 'Established')
  })

  it('the agent hangs up (挂断): the caller sees the end; 话后整理 starts', async () => {
    await button('挂断').click()
    await until('caller call ended', async () => (await bare<{ state: string }>(caller, 'inbound', 0)).state === 'Terminated')
    await card().waitFor({ state: 'detached' })
    await ui.getByTestId('acw-countdown').waitFor()
    await ui.getByTestId('agent-status').filter({ hasText: '话后整理' }).waitFor()
  })

  it('the caller hangs up: the card goes away', async () => {
    await button('置闲').click().catch(() => undefined)
    const i = await bare<number>(caller, 'call', '1001')
    await card().waitFor()
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor()
    await bare(caller, 'hangup', i)
    await card().waitFor({ state: 'detached' })
  })

  it('keyboard: F2 answers, F4 hangs up, not while typing in a field', async () => {
    const i = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor()
    await ui.getByLabel('外呼号码').focus()
    await ui.keyboard.press('F2')
    await sleep(500)
    assert.match(await card().innerText(), /来电振铃/, 'F2 inside a field does nothing')
    await ui.locator('body').click({ position: { x: 5, y: 5 } })
    await ui.keyboard.press('F2')
    await card().filter({ hasText: '通话中' }).waitFor()
    await ui.keyboard.press('F4')
    await until('caller sees hang-up', async () => (await bare<{ state: string }>(caller, 'inbound', i)).state === 'Terminated')
  })

  it('three-way call: consult 2002, 三方通话, the caller and 2002 hear each other through the local mix', async () => {
    await bridge.call('phone', 'setReady', {})
    const i = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor()
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor()
    await parties.consultSeat()
    // Before the conference the caller is held: it does not hear 2002's tone.
    const before = await bare<number>(caller, 'toneDb', i, 3300, 1200)
    const seatBefore = await bare<number>(target, 'toneDb', 0, 2700, 1200)
    await button('三方通话').click()
    await until('both legs in conference', async () => (await bridge.state()).phone.calls.filter((c) => c.conferenceWith).length === 2)
    const callerHears3k = await until('the caller hears 2002 (3.3 kHz)', async () => {
      const db = await bare<number>(caller, 'toneDb', i, 3300, 1200)
      return db > before + 20 ? db : null
    })
    const seatHears2k = await until('2002 hears the caller (2.7 kHz)', async () => {
      const db = await bare<number>(target, 'toneDb', 0, 2700, 1200)
      return db > seatBefore + 20 ? db : null
    })
    const agent = await bridge.state()
    assert.ok(agent.phone.quality.every((q) => (q.bytesReceived ?? 0) > 0), 'the agent receives both legs')
    console.log(`three-way: caller hears 2002 at ${callerHears3k.toFixed(1)} dB (before ${before.toFixed(1)}), 2002 hears the caller at ${seatHears2k.toFixed(1)} dB (before ${seatBefore.toFixed(1)})`)
    await bare(caller, 'hangup', i)
    await bare(target, 'hangup', 0)
    await card().waitFor({ state: 'detached' })
  })
})
