import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import type { RunningHost } from '../e2e/support/host'
import { recordingAudio } from '../e2e/support/recording-audio'
import { bare } from './support/bare-page'
import type { Bridge } from './support/desk-setup'
import { startThreeParties, type ThreeParties } from './support/three-parties'

/**
 * The call recording of a real call through Kamailio and rtpengine: a caller
 * (a bare sip.js page speaking a 2.7 kHz tone) rings the desk, the agent answers
 * and talks (Chromium's fake microphone beeps), consults seat 2002 (3.3 kHz) and
 * makes it a three-way call, then the call ends. The recording, decoded in a
 * page, has the agent on the left channel and the caller on the right, and the
 * third party joins the right channel once the conference starts.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Band {
  /** Mean power in dB at each frequency, per channel, over [from, to] seconds. */
  left: Record<number, number>
  right: Record<number, number>
  leftRms: number
}

describe('call recording of a real call through rtpengine (Chromium)', { timeout: 240_000 }, () => {
  let host: RunningHost
  let ui: Page
  let bridge: Bridge
  let caller: Page
  let target: Page
  let parties: ThreeParties

  before(async () => {
    parties = await startThreeParties('rig-rec-')
    ;({ host, ui, bridge, caller, target } = parties)
  })
  after(() => parties?.stop())

  const button = (name: string) => ui.getByRole('button', { name, exact: true })
  const card = () => ui.getByRole('region', { name: '来电信息' })
  async function until<T>(what: string, fn: () => Promise<T | null | false | undefined> | T | null | false | undefined, ms = 15_000): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
      const v = await fn()
      if (v) return v
      if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`)
      await sleep(100)
    }
  }
  const rows = () => {
    const db = new Database(path.join(host.dataDir, 'desk.sqlite'), { readonly: true })
    try {
      return db.prepare('SELECT id, status, started_at AS startedAt, duration_ms AS durationMs FROM recordings ORDER BY started_at').all() as {
        id: string
        status: string
        startedAt: number
        durationMs: number | null
      }[]
    } finally {
      db.close()
    }
  }

  it('records the agent left and the caller right, and the three-way party joins the right channel', async () => {
    await button('签入').click()
    await button('置闲').click()
    const i = await bare<number>(caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
    await sleep(4500)
    await button('转接').click()
    await ui.getByLabel('转接号码/分机/技能组').fill('2002')
    await button('咨询转接').click()
    await until('2002 answers the consultation', async () => (await bare<number>(target, 'count')) > 0 && (await bare<{ state: string }>(target, 'inbound', 0)).state === 'Established')
    await card().filter({ hasText: '2002' }).filter({ hasText: '通话中' }).waitFor()
    await button('三方通话').click()
    await until('both legs in conference', async () => (await bridge.state()).phone.calls.filter((c) => c.conferenceWith).length === 2)
    const conferenceAt = Date.now()
    await sleep(4500)
    const endedAt = Date.now()
    await bare(caller, 'hangup', i)
    await bare(target, 'hangup', 0)
    await card().waitFor({ state: 'detached' })

    // Two recordings (the call and the consultation); the call's is the first.
    const rec = await until('the call recording is finalised', () => {
      const r = rows()
      return r.length >= 2 && r[0]!.status !== 'recording' ? r[0] : null
    }, 30_000)
    assert.ok(rec.durationMs! > 9000, `recorded ${rec.durationMs} ms`)
    await bridge.call('session', 'logout', {})
    const login = await bridge.call('session', 'login', { username: 'qa01', password: 'sandbox' })
    assert.ok(login.ok, JSON.stringify(login))
    const audio = await recordingAudio((args) => bridge.call('recordings', 'audio', args), rec.id)

    const talk: [number, number] = [0.5, 4]
    const conf: [number, number] = [(conferenceAt - rec.startedAt) / 1000 + 1, (endedAt - rec.startedAt) / 1000 - 0.3]
    const [a, b] = await ui.evaluate(
      async ([b64, windows]) => {
        const bin = atob(b64)
        const buf = new Uint8Array(bin.length)
        for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i)
        const audio = await new OfflineAudioContext(2, 48000, 48000).decodeAudioData(buf.buffer)
        const rate = audio.sampleRate
        // (No named inner functions: the test runner's transform would reference a helper the page lacks.)
        return windows.map(([from, to]) => {
          const out: { left: Record<number, number>; right: Record<number, number>; leftRms: number } = { left: {}, right: {}, leftRms: 0 }
          for (const [c, side] of [[0, 'left'], [1, 'right']] as const) {
            const ch = audio.getChannelData(c).subarray(Math.floor(from * rate), Math.floor(to * rate))
            for (const hz of [2700, 3300]) {
              const k = 2 * Math.cos((2 * Math.PI * hz) / rate)
              const frame = 4800
              let total = 0
              let frames = 0
              for (let i = 0; i + frame <= ch.length; i += frame) {
                let s1 = 0
                let s2 = 0
                for (let j = i; j < i + frame; j++) {
                  const s0 = ch[j]! + k * s1 - s2
                  s2 = s1
                  s1 = s0
                }
                total += (s1 * s1 + s2 * s2 - k * s1 * s2) / (frame * frame)
                frames++
              }
              out[side][hz] = 10 * Math.log10(total / Math.max(1, frames) + 1e-20)
            }
            if (c === 0) {
              let sum = 0
              for (const v of ch) sum += v * v
              out.leftRms = Math.sqrt(sum / Math.max(1, ch.length))
            }
          }
          return out
        })
      },
      [audio.data, [talk, conf]] as const
    )
    const talkBand = a as Band
    const confBand = b as Band
    console.log(JSON.stringify({ recordingRig: { durationMs: rec.durationMs, talk: talkBand, conference: confBand } }))
    // The caller (2.7 kHz) is on the right, not the left; the agent's microphone is on the left.
    assert.ok(talkBand.right[2700]! > talkBand.left[2700]! + 20, `caller right ${talkBand.right[2700]} dB vs left ${talkBand.left[2700]} dB`)
    assert.ok(talkBand.leftRms > 0.002, `the agent's side has sound (RMS ${talkBand.leftRms})`)
    // The third party (3.3 kHz) is heard on the right once the conference starts, with the caller still there.
    assert.ok(confBand.right[3300]! > talkBand.right[3300]! + 20, `third party right ${confBand.right[3300]} dB (before ${talkBand.right[3300]} dB)`)
    assert.ok(confBand.right[2700]! > confBand.left[2700]! + 20, `caller still on the right in the conference`)
  })
})
