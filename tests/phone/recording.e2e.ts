import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { recordingAudio } from '../e2e/support/recording-audio'
import { bare } from './support/bare-page'
import { recordingBands, recordingRows, recordingSeconds, type Bands, type RecordingRow } from './support/recording-bands'
import type { Bridge } from './support/desk-setup'
import { startThreeParties, type ThreeParties } from './support/three-parties'
import { until } from './support/until'

/**
 * The call recording of a real call through Kamailio and rtpengine: a caller
 * (a bare sip.js page speaking a 2.7 kHz tone) rings the desk, the agent answers
 * and talks (Chromium's fake microphone beeps), consults seat 2002 (3.3 kHz) and
 * makes it a three-way call, then the call ends. The recording, decoded in a
 * page, has the agent on the left channel and the caller on the right, and the
 * third party joins the right channel once the conference starts.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The rig's three parties, and what the specs ask of the desk: its buttons, the caller card, its recordings. */
function recordingRig(prefix: string) {
  const t = {} as ThreeParties & {
    button(name: string): ReturnType<Page['getByRole']>
    card(): ReturnType<Page['getByRole']>
    rows(): RecordingRow[]
  }
  before(async () => {
    Object.assign(t, await startThreeParties(prefix))
    t.button = (name) => t.ui.getByRole('button', { name, exact: true })
    t.card = () => t.ui.getByRole('region', { name: '来电信息' })
    t.rows = () => recordingRows(t.host.dataDir)
  })
  after(() => t.stop?.())
  return t
}

describe('call recording of a real call through rtpengine (Chromium)', { timeout: 240_000 }, () => {
  const t = recordingRig('rig-rec-')
  let ui: Page
  let bridge: Bridge
  let caller: Page
  let target: Page
  before(() => {
    ;({ ui, bridge, caller, target } = t)
  })
  const button = (name: string) => t.button(name)
  const card = () => t.card()
  const rows = () => t.rows()

  it('records the agent left and the caller right, and the three-way party joins the right channel', async () => {
    await button('签入').click()
    await button('置闲').click()
    const i = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
    await sleep(4500)
    await t.consultSeat()
    await button('三方通话').click()
    await until('both legs in conference', async () => (await bridge.state()).phone.calls.filter((c) => c.conferenceWith).length === 2)
    const conferenceAt = Date.now()
    await sleep(4500)
    const endedAt = Date.now()
    await bare(caller, 'hangup', i)
    await bare(target, 'hangup', 0)
    await card().waitFor({ state: 'detached' })

    // Two recordings (the call and the consultation); the call's is the first, the consultation is linked to it.
    const rec = await until('the call recording is finalised', () => {
      const r = rows()
      return r.length >= 2 && r[0]!.status !== 'recording' ? r[0] : null
    }, 30_000)
    assert.ok(rec.durationMs! > 9000, `recorded ${rec.durationMs} ms`)
    assert.equal(rows()[1]!.parentCallId, rec.callId, 'the consultation leg is linked to the citizen call')
    await bridge.call('session', 'logout', {})
    const login = await bridge.call('session', 'login', { username: 'qa01', password: 'sandbox' })
    assert.ok(login.ok, JSON.stringify(login))
    const audio = await recordingAudio((args) => bridge.call('recordings', 'audio', args), rec.id)

    const talk: [number, number] = [0.5, 4]
    const conf: [number, number] = [(conferenceAt - rec.startedAt) / 1000 + 1, (endedAt - rec.startedAt) / 1000 - 0.3]
    const [talkBand, confBand] = (await recordingBands(ui, audio.data, [2700, 3300], [talk, conf])) as [Bands, Bands]
    console.log(JSON.stringify({ recordingRig: { durationMs: rec.durationMs, talk: talkBand, conference: confBand } }))
    // The caller (2.7 kHz) is on the right, not the left; the agent's microphone is on the left.
    assert.ok(talkBand.right[2700]! > talkBand.left[2700]! + 20, `caller right ${talkBand.right[2700]} dB vs left ${talkBand.left[2700]} dB`)
    assert.ok(talkBand.leftRms > 0.002, `the agent's side has sound (RMS ${talkBand.leftRms})`)
    // The third party (3.3 kHz) is heard on the right once the conference starts, with the caller still there.
    assert.ok(confBand.right[3300]! > talkBand.right[3300]! + 20, `third party right ${confBand.right[3300]} dB (before ${talkBand.right[3300]} dB)`)
    assert.ok(confBand.right[2700]! > confBand.left[2700]! + 20, `caller still on the right in the conference`)
  })
})

describe('a blind transfer ends the call recording cleanly (Chromium, rtpengine)', { timeout: 240_000 }, () => {
  const t = recordingRig('rig-rec-blind-')

  it('finalises, uploads and decodes the recording of the call up to the transfer, and records nothing after it', async () => {
    const { ui, bridge, caller, target } = t
    await t.button('签入').click()
    await t.button('置闲').click()
    await bare<number>(caller, 'call', '1001')
    await t.card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    await t.button('接听').click()
    await t.card().filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
    await ui.getByRole('status', { name: '通话录音' }).getByText('录音中').waitFor({ timeout: 10_000 })
    await sleep(4500)
    await t.button('转接').click()
    await ui.getByLabel('转接号码/分机/技能组').fill('2002')
    const transferAt = Date.now()
    await t.button('直接转接').click()
    // The caller follows the REFER to 2002 (auto-answering); the desk's own call ends.
    await t.card().waitFor({ state: 'detached', timeout: 15_000 })
    const endedAt = Date.now()
    await until('2002 talks to the caller', async () => {
      const n = await bare<number>(target, 'count')
      return n > 0 && (await bare<{ state: string }>(target, 'inbound', n - 1)).state === 'Established'
    })
    await ui.getByRole('status', { name: '通话录音' }).getByText('录音中').waitFor({ state: 'detached', timeout: 10_000 })

    const rec = await until('the recording is uploaded', () => {
      const r = t.rows()
      return r.length === 1 && r[0]!.status === 'uploaded' ? r[0] : null
    }, 30_000)
    // The caller and 2002 talk on: nothing of that reaches the desk's recordings.
    await sleep(3000)
    assert.equal(t.rows().length, 1)
    assert.equal(t.rows()[0]!.durationMs, rec.durationMs)
    const untilTransfer = transferAt - rec.startedAt
    const untilEnd = endedAt - rec.startedAt
    assert.ok(rec.durationMs! > untilTransfer - 1500 && rec.durationMs! < untilEnd + 1000, `recorded ${rec.durationMs} ms; the call reached the transfer after ${untilTransfer} ms and ended at the desk after ${untilEnd} ms`)
    assert.ok(rec.platformRecordingId! > 0)

    await bridge.call('session', 'logout', {})
    assert.ok((await bridge.call('session', 'login', { username: 'qa01', password: 'sandbox' })).ok)
    const audio = await recordingAudio((args) => bridge.call('recordings', 'audio', args), rec.id)
    const seconds = await recordingSeconds(ui, audio.data)
    const [talk] = await recordingBands(ui, audio.data, [2700], [[0.5, Math.max(1, untilTransfer / 1000 - 0.5)]])
    console.log(JSON.stringify({ blindTransferRecording: { durationMs: rec.durationMs, untilTransferMs: untilTransfer, untilEndMs: untilEnd, decodedS: seconds, bytes: audio.total, talk } }))
    assert.ok(Math.abs(seconds * 1000 - rec.durationMs!) < 500, `decoded ${seconds} s, recorded ${rec.durationMs} ms`)
    assert.ok(talk!.right[2700]! > talk!.left[2700]! + 20, `caller right ${talk!.right[2700]} dB vs left ${talk!.left[2700]} dB`)
    const n = await bare<number>(target, 'count')
    await bare(target, 'hangup', n - 1)
  })
})
