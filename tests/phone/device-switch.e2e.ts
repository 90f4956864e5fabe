import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { GOERTZEL_JS, bare } from './support/bare-page'
import type { Bridge } from './support/desk-setup'
import { recordingBands, recordingRows, type Bands } from './support/recording-bands'
import { startThreeParties, type ThreeParties } from './support/three-parties'
import { until } from './support/until'

/**
 * The agent's microphone changes during a call: chosen in the settings, or pulled out (the chosen one, or the
 * system default) so the desk falls back. Kamailio + rtpengine, the desk's phone host as a page of its own
 * Chromium whose every fake microphone speaks 1.5 kHz (the agent), a caller at 2.7 kHz and seat 2002 at 3.3 kHz.
 * Who hears whom is measured by tone frequency at each far end; the recording is decoded and measured the same way.
 *
 * A pulled device is simulated as the operating system does it: every track from it ends, and `devicechange`
 * fires with a list that no longer has it. Chromium's fake microphones all speak the same file, so "the new
 * microphone is heard" is proven by every track of the old one having ended while the tone still arrives.
 */
const AGENT = 1500
const CALLER = 2700
const SEAT = 3300
/** Where nobody speaks: the floor each tone is compared with. */
const QUIET = 4100
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('microphone switched mid-call: three-way mix and recording (Chromium, rtpengine)', { timeout: 300_000 }, () => {
  let parties: ThreeParties
  let ui: Page
  let phone: Page
  let bridge: Bridge
  let caller: Page
  let target: Page

  before(async () => {
    parties = await startThreeParties('rig-devswitch-', { agentTone: AGENT })
    ;({ ui, bridge, caller, target } = parties)
    phone = parties.phone!
    // Every microphone track the phone host opens or clones, so the test can pull a device and see what is live.
    await phone.evaluate(`(() => {
      const tracks = (window.__micTracks = [])
      const md = navigator.mediaDevices
      const gum = md.getUserMedia.bind(md)
      md.getUserMedia = (c) => gum(c).then((s) => { tracks.push(...s.getAudioTracks()); return s })
      const clone = MediaStreamTrack.prototype.clone
      MediaStreamTrack.prototype.clone = function () { const t = clone.call(this); if (t.kind === 'audio') tracks.push(t); return t }
    })()`)
  })
  after(() => parties?.stop())

  const card = () => ui.getByRole('region', { name: '来电信息' })
  /** Stretches of the three-way call (wall-clock ms) whose recording the last test measures. */
  const threeWay: Record<'switched' | 'pulled' | 'muted' | 'unmuted', [number, number]> = { switched: [0, 0], pulled: [0, 0], muted: [0, 0], unmuted: [0, 0] }
  /** The recorder looks for the call's microphone again once a second. */
  const FOLLOW_MS = 1200
  const button = (name: string) => ui.getByRole('button', { name, exact: true })
  /** The devices of the live microphone tracks in the phone host. */
  const liveMics = () => phone.evaluate<string[]>(`window.__micTracks.filter((t) => t.readyState === 'live').map((t) => t.getSettings().deviceId)`)
  const inputId = (label: string) =>
    phone.evaluate<string>(`navigator.mediaDevices.enumerateDevices().then((l) => l.find((d) => d.kind === 'audioinput' && d.label === ${JSON.stringify(label)}).deviceId)`)
  /** Unplug: the device leaves the list (unless it is the default, which is always listed), its tracks end. */
  const pull = (deviceId: string, unlist: boolean) =>
    phone.evaluate(`(() => {
      const md = navigator.mediaDevices
      if (${unlist}) {
        const real = md.enumerateDevices.bind(md)
        md.enumerateDevices = () => real().then((l) => l.filter((d) => d.deviceId !== ${JSON.stringify(deviceId)}))
      }
      for (const t of window.__micTracks) if (t.readyState === 'live' && t.getSettings().deviceId === ${JSON.stringify(deviceId)}) t.stop()
      md.dispatchEvent(new Event('devicechange'))
    })()`)

  /** The caller rings the agent (ready again after the last call) and the agent answers; the caller's call index. */
  async function answerCall(): Promise<number> {
    await bridge.call('phone', 'setReady', {})
    const i = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
    return i
  }
  /** How many times main told the agent a device fell back (state topic `notices`, shown as toasts). */
  const fallbacks = async () => (await bridge.state()).notices.filter((n) => n.message.key === 'phoneError.device-missing').length
  const outputId = (label: string) =>
    phone.evaluate<string>(`navigator.mediaDevices.enumerateDevices().then((l) => l.find((d) => d.kind === 'audiooutput' && d.label === ${JSON.stringify(label)}).deviceId)`)
  /**
   * What the call's audio element plays (its own output, captureStream) at `hz` over the quiet floor, and the
   * output device it plays on. Headless Chromium's outputs are fake: the sound itself cannot be heard from them.
   */
  const playing = (hz: number) =>
    phone.evaluate<{ sinkId: string; overFloor: number; paused: boolean } | null>(`(async () => {
      ${GOERTZEL_JS}
      const el = document.querySelector('audio[data-call-id]')
      if (!el) return null
      const ctx = new AudioContext()
      const an = ctx.createAnalyser()
      an.fftSize = 2048
      ctx.createMediaStreamSource(el.captureStream()).connect(an)
      const buf = new Float32Array(an.fftSize)
      const peak = { [${QUIET}]: -200, [${hz}]: -200 }
      const end = performance.now() + 1200
      while (performance.now() < end) {
        await new Promise((r) => setTimeout(r, 40))
        an.getFloatTimeDomainData(buf)
        for (const f of [${QUIET}, ${hz}]) peak[f] = Math.max(peak[f], 10 * Math.log10(goertzelPower(buf, 0, buf.length, f, ctx.sampleRate) + 1e-20))
      }
      void ctx.close()
      return { sinkId: el.sinkId, overFloor: Math.round(peak[${hz}] - peak[${QUIET}]), paused: el.paused }
    })()`)
  /** The output devices of the ringtones sounding now. */
  const ringSinks = () => phone.evaluate<string[]>(`[...window.__phone.media.rings.values()].map((r) => String(r.ctx.sinkId))`)

  /**
   * In the three-way call each far end hears the other far end and (unless `agentMuted`) the agent, each well
   * above the quiet floor. Measured over 1.2 s; dB over the floor.
   */
  async function hearsAll(what: string, i: number, agentMuted = false): Promise<Record<string, number>> {
    const heard: Record<string, number> = {}
    const parts: [string, Page, number, number][] = [
      ['caller', caller, i, SEAT],
      ['seat', target, 0, CALLER]
    ]
    for (const [who, page, leg, other] of parts) {
      await until(`${what}: the ${who} hears ${other} Hz and ${agentMuted ? 'not ' : ''}the agent`, async () => {
        const quiet = await bare<number>(page, 'toneDb', leg, QUIET, 600)
        const [agent, party] = [await bare<number>(page, 'toneDb', leg, AGENT, 1200), await bare<number>(page, 'toneDb', leg, other, 1200)]
        heard[`${who}@${AGENT}`] = Math.round(agent - quiet)
        heard[`${who}@${other}`] = Math.round(party - quiet)
        // Muted: the agent at least 30 dB under the other party (Opus leaves its noise around the tones).
        return party > quiet + 20 && (agentMuted ? agent < party - 30 : agent > quiet + 20)
      }, 15_000)
    }
    return heard
  }

  it('three-way call: after a switch in the settings and after the new microphone is pulled, both far ends hear the agent and each other', async () => {
    await button('签入').click()
    await button('置闲').click()
    const i = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
    await parties.consultSeat()
    await button('三方通话').click()
    await until('both legs in conference', async () => (await bridge.state()).phone.calls.filter((c) => c.conferenceWith).length === 2)
    const first = await hearsAll('three-way', i)
    const firstMics = new Set(await liveMics())

    // The agent picks another microphone in the settings.
    const second = await inputId('Fake Audio Input 2')
    assert.ok(!firstMics.has(second), 'the call started on another microphone')
    assert.ok((await bridge.call('phone', 'setDevices', { mic: second })).ok)
    await until('the chosen microphone is open', async () => (await liveMics()).includes(second))
    threeWay.switched[0] = Date.now() + FOLLOW_MS
    const switched = await hearsAll('after choosing Fake Audio Input 2', i)
    assert.deepEqual(new Set(await liveMics()), new Set([second]), 'no track of the first microphone is left running')

    // That microphone is pulled out: the desk falls back to the default, tells the agent, the call goes on.
    const told = await fallbacks()
    threeWay.switched[1] = Date.now()
    await pull(second, true)
    await ui.getByText('所选音频设备不可用，已切换到默认设备').first().waitFor({ timeout: 10_000 })
    await until('the agent is told', async () => (await fallbacks()) > told)
    await until('a microphone other than the pulled one is live', async () => {
      const live = await liveMics()
      return live.length > 0 && !live.includes(second)
    })
    threeWay.pulled[0] = Date.now() + FOLLOW_MS
    const pulled = await hearsAll('after pulling it', i)
    assert.equal((await bridge.state()).phone.calls.filter((c) => c.state === 'established' && c.conferenceWith).length, 2, 'both legs still in the three-way call')

    // 静音 in the three-way call: neither far end hears the agent, they still hear each other, also after
    // another microphone is chosen; 静音 again brings the agent back to both.
    threeWay.pulled[1] = Date.now()
    await button('静音').click()
    await until('both legs muted', async () => (await bridge.state()).phone.calls.filter((c) => c.flags.muted).length === 2)
    threeWay.muted[0] = Date.now() + 300
    const muted = await hearsAll('muted', i, true)
    threeWay.muted[1] = Date.now()
    const first1 = await inputId('Fake Audio Input 1')
    assert.ok((await bridge.call('phone', 'setDevices', { mic: first1 })).ok)
    await until('the chosen microphone is open', async () => (await liveMics()).includes(first1))
    const mutedSwitched = await hearsAll('muted, another microphone', i, true)
    await button('静音').click()
    await until('both legs unmuted', async () => (await bridge.state()).phone.calls.every((c) => !c.flags.muted))
    threeWay.unmuted[0] = Date.now() + 300
    const unmuted = await hearsAll('unmuted', i)
    threeWay.unmuted[1] = Date.now()
    console.log(JSON.stringify({ deviceSwitchThreeWay: { dbOverFloor: { first, switched, pulled, muted, mutedSwitched, unmuted } } }))

    await bare(caller, 'hangup', i)
    await bare(target, 'hangup', 0)
    await card().waitFor({ state: 'detached' })
    assert.ok((await bridge.call('phone', 'setDevices', { mic: '' })).ok)
  })

  it('speaker and ringer: the far end keeps playing on each newly chosen speaker, back on the default, and after the speaker is pulled; the ring stays on the ringer', async () => {
    const [speaker1, speaker2] = [await outputId('Fake Audio Output 1'), await outputId('Fake Audio Output 2')]
    assert.ok((await bridge.call('phone', 'setDevices', { speaker: speaker1, ringer: speaker2 })).ok)
    await until('speaker and ringer chosen', async () => {
      const sel = (await bridge.state()).phone.devices?.selected
      return sel?.speaker === speaker1 && sel.ringer === speaker2
    })
    await bridge.call('phone', 'setReady', {})
    const i = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    assert.deepEqual(await until('the ring sounds', async () => ((await ringSinks()).length ? ringSinks() : null)), [speaker2], 'the ring plays on the ringer')
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })

    const plays = async (what: string, sinkId: string) =>
      until(`${what}: the caller plays on ${sinkId || 'the default output'}`, async () => {
        const p = await playing(CALLER)
        return p && p.sinkId === sinkId && !p.paused && p.overFloor > 20 ? p : null
      })
    const seen: Record<string, number> = {}
    seen.first = (await plays('answered', speaker1)).overFloor
    // The agent picks another speaker mid-call, then the system default again.
    assert.ok((await bridge.call('phone', 'setDevices', { speaker: speaker2 })).ok)
    seen.switched = (await plays('another speaker', speaker2)).overFloor
    assert.ok((await bridge.call('phone', 'setDevices', { speaker: '' })).ok)
    seen.default = (await plays('back on the default', '')).overFloor
    // The chosen speaker is pulled out: the far end moves to the default, the agent is told, the ringer stays.
    assert.ok((await bridge.call('phone', 'setDevices', { speaker: speaker1 })).ok)
    await plays('chosen again', speaker1)
    const told = await fallbacks()
    await pull(speaker1, true)
    await until('the agent is told', async () => (await fallbacks()) > told)
    seen.pulled = (await plays('pulled', '')).overFloor
    const sel = (await bridge.state()).phone.devices!.selected
    assert.deepEqual([sel.speaker, sel.ringer], ['', speaker2], 'only the speaker fell back; the ringer keeps its own device')
    assert.equal((await bare<{ state: string }>(caller, 'inbound', i)).state, 'Established')
    console.log(JSON.stringify({ deviceSwitchSpeaker: { callerToneOverFloorDb: seen } }))
    await bare(caller, 'hangup', i)
    await card().waitFor({ state: 'detached' })

    // The next call rings on the ringer still.
    await bridge.call('phone', 'setReady', {})
    const j = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    assert.deepEqual(await until('the ring sounds', async () => ((await ringSinks()).length ? ringSinks() : null)), [speaker2])
    await bare(caller, 'hangup', j)
    await card().waitFor({ state: 'detached' })
    assert.ok((await bridge.call('phone', 'setDevices', { ringer: '' })).ok)
  })

  it('the last microphone pulled mid-call: the call stays up and the agent is told nobody hears them; plugging one in brings the voice back', async () => {
    const i = await answerCall()
    const agentOverFloor = async () => Math.round((await bare<number>(caller, 'toneDb', i, AGENT, 1200)) - (await bare<number>(caller, 'toneDb', i, QUIET, 600)))
    const before = await until('the caller hears the agent', async () => {
      const db = await agentOverFloor()
      return db > 20 ? db : null
    })

    // Every microphone goes: none is listed, none can be opened, the call's track ends.
    await phone.evaluate(`(() => {
      const md = navigator.mediaDevices
      window.__plugged = { enumerateDevices: md.enumerateDevices, getUserMedia: md.getUserMedia }
      md.enumerateDevices = () => window.__plugged.enumerateDevices().then((l) => l.filter((d) => d.kind !== 'audioinput'))
      md.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'))
      for (const t of window.__micTracks) if (t.readyState === 'live') t.stop()
      md.dispatchEvent(new Event('devicechange'))
    })()`)
    await until('the agent is told there is no microphone', async () => (await bridge.state()).notices.some((n) => n.message.key === 'phoneError.no-microphone'))
    await ui.getByText('没有可用的麦克风', { exact: false }).first().waitFor({ timeout: 10_000 })
    // Chromium sends nothing for an ended track: the caller gets no audio at all from the agent.
    const { without } = await until('the caller no longer hears the agent', async () => {
      const db = await agentOverFloor()
      return db < 10 ? { without: db } : null
    })
    const silentFrom = (await bare<{ bytes: number }>(caller, 'inbound', i)).bytes
    await sleep(1500)
    const silentBytes = (await bare<{ bytes: number }>(caller, 'inbound', i)).bytes - silentFrom
    assert.equal((await bare<{ state: string }>(caller, 'inbound', i)).state, 'Established', 'the call stays up')
    assert.equal((await bridge.state()).phone.calls.find((c) => c.direction === 'inbound')?.state, 'established')
    assert.match(await card().innerText(), /通话中/)

    // A headset is plugged in: the call takes it at once.
    await phone.evaluate(`(() => {
      const md = navigator.mediaDevices
      Object.assign(md, window.__plugged)
      md.dispatchEvent(new Event('devicechange'))
    })()`)
    await until('the call has a live microphone again', async () => (await liveMics()).length === 1)
    const back = await until('the caller hears the agent again', async () => {
      const db = await agentOverFloor()
      return db > 20 ? db : null
    })
    assert.equal((await bridge.state()).notices.filter((n) => n.message.key === 'phoneError.no-microphone').length, 1, 'told once')
    await until('the agent is told the microphone is back', async () => (await bridge.state()).notices.some((n) => n.message.key === 'notice.micRestored'))
    await ui.getByText('麦克风已恢复', { exact: false }).first().waitFor({ timeout: 10_000 })
    console.log(JSON.stringify({ deviceSwitchNoMic: { agentOverFloorDb: { before, without, back }, callerBytesIn1500msWithoutMic: silentBytes } }))
    await bare(caller, 'hangup', i)
    await card().waitFor({ state: 'detached' })
  })

  it('ready to answer while it rings: a microphone chosen during the ring is the one the call uses; a call given up while ringing leaves no microphone open', async () => {
    // A microphone other than the system default (Fake Audio Input 2 was pulled above).
    const second = await phone.evaluate<string>(`navigator.mediaDevices.enumerateDevices().then((l) => l.find((d) => d.kind === 'audioinput' && d.deviceId !== 'default').deviceId)`)
    await bridge.call('phone', 'setReady', {})
    const i = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    // The phone host took the offer and opened the microphone as it started ringing (answer-prep.ts)...
    await until('a microphone is ready while it rings', async () => (await liveMics()).length === 1)
    // ...and the agent picks another one before answering.
    assert.ok((await bridge.call('phone', 'setDevices', { mic: second })).ok)
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
    await until('the call runs on the microphone chosen while it rang, and only on it', async () => {
      const live = await liveMics()
      return live.length === 1 && live[0] === second
    })
    await until('the caller hears the agent', async () => (await bare<number>(caller, 'toneDb', i, AGENT, 1200)) - (await bare<number>(caller, 'toneDb', i, QUIET, 600)) > 20)
    await bare(caller, 'hangup', i)
    await card().waitFor({ state: 'detached' })
    await until('no microphone open after the call', async () => (await liveMics()).length === 0)
    assert.ok((await bridge.call('phone', 'setDevices', { mic: '' })).ok)

    // A citizen who gives up while it rings: the microphone opened for the answer is closed again.
    await bridge.call('phone', 'setReady', {})
    const j = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    await until('a microphone is ready while it rings', async () => (await liveMics()).length === 1)
    await bare(caller, 'hangup', j)
    await card().waitFor({ state: 'detached' })
    await until('no microphone open once the caller gave up', async () => (await liveMics()).length === 0)
  })

  it('recordings: the agent stays alone on the left through microphone changes (a pulled default mid-call; the three-way call above)', async () => {
    const i = await answerCall()
    await sleep(4000)
    // The agent is on the system default (nothing chosen); that device goes away and another becomes the default.
    assert.equal((await bridge.state()).phone.devices?.selected.mic, '')
    const old = await liveMics()
    assert.equal(old.length, 1, `one live microphone in the call (${old.join(', ')})`)
    const told = await fallbacks()
    const switchAt = Date.now()
    await pull(old[0]!, false)
    await until('the call has a live microphone again', async () => (await liveMics()).length === 1)
    await until('the agent is told', async () => (await fallbacks()) > told)
    await until('the caller hears the agent again', async () => (await bare<number>(caller, 'toneDb', i, AGENT, 1200)) > (await bare<number>(caller, 'toneDb', i, QUIET, 600)) + 20)
    const backAt = Date.now()
    await sleep(4000)
    const endedAt = Date.now()
    await bare(caller, 'hangup', i)
    await card().waitFor({ state: 'detached' })

    const rec = await until('the call recording is finalised', async () => {
      const rows = recordingRows(parties.host.dataDir)
      const last = rows[rows.length - 1]
      return last && last.status !== 'recording' && last.startedAt < switchAt ? last : null
    }, 30_000)
    await bridge.call('session', 'logout', {})
    assert.ok((await bridge.call('session', 'login', { username: 'qa01', password: 'sandbox' })).ok)
    const audio = await bridge.call<{ data: string }>('recordings', 'audio', { id: rec.id })
    assert.ok(audio.ok, JSON.stringify(audio))
    const at = (ms: number) => (ms - rec.startedAt) / 1000
    const [beforeSwitch, afterSwitch] = (await recordingBands(ui, audio.value!.data, [AGENT, CALLER, QUIET], [
      [0.5, at(switchAt) - 0.3],
      // The recorder looks for the call's new microphone once a second.
      [at(backAt) + 1.2, at(endedAt) - 0.3]
    ])) as [Bands, Bands]
    console.log(JSON.stringify({ deviceSwitchRecording: { durationMs: rec.durationMs, beforeSwitch, afterSwitch } }))
    for (const [name, band] of [['before', beforeSwitch], ['after', afterSwitch]] as const) {
      assert.ok(band.left[AGENT]! > band.left[QUIET]! + 20, `${name} the switch: the agent on the left at ${band.left[AGENT]} dB (floor ${band.left[QUIET]} dB)`)
      assert.ok(band.left[AGENT]! > band.right[AGENT]! + 20, `${name} the switch: the agent on the left, not the right`)
      assert.ok(band.right[CALLER]! > band.left[CALLER]! + 20, `${name} the switch: the caller on the right, not the left`)
    }
    assert.ok(afterSwitch.left[AGENT]! > beforeSwitch.left[AGENT]! - 10, `the agent about as loud on the new microphone (${afterSwitch.left[AGENT]} dB, before ${beforeSwitch.left[AGENT]} dB)`)

    // The three-way call of the first test (the desk's first recording): the agent alone on the left through
    // every microphone change (the third party only on the right), silent there while muted.
    const conf = recordingRows(parties.host.dataDir)[0]!
    const confAudio = await bridge.call<{ data: string }>('recordings', 'audio', { id: conf.id })
    assert.ok(confAudio.ok, JSON.stringify(confAudio))
    const names = ['switched', 'pulled', 'muted', 'unmuted'] as const
    const bands = await recordingBands(ui, confAudio.value!.data, [AGENT, CALLER, SEAT, QUIET], names.map((n) => [(threeWay[n][0] - conf.startedAt) / 1000, (threeWay[n][1] - conf.startedAt) / 1000 - 0.3]))
    const by = Object.fromEntries(names.map((n, k) => [n, bands[k]!])) as Record<(typeof names)[number], Bands>
    console.log(JSON.stringify({ deviceSwitchThreeWayRecording: by }))
    for (const n of ['switched', 'pulled', 'unmuted'] as const) {
      assert.ok(by[n].left[AGENT]! > by[n].left[QUIET]! + 20, `${n}: the agent on the left (${by[n].left[AGENT]} dB, floor ${by[n].left[QUIET]} dB)`)
      assert.ok(by[n].right[SEAT]! > by[n].left[SEAT]! + 20, `${n}: the third party on the right (${by[n].right[SEAT]} dB), not the left (${by[n].left[SEAT]} dB)`)
      assert.ok(by[n].right[CALLER]! > by[n].left[CALLER]! + 20, `${n}: the caller on the right, not the left`)
    }
    assert.ok(by.muted.left[AGENT]! < by.unmuted.left[AGENT]! - 30, `muted: the agent silent on the left (${by.muted.left[AGENT]} dB, unmuted ${by.unmuted.left[AGENT]} dB)`)
  })
})
