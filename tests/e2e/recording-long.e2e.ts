import assert from 'node:assert/strict'
import http from 'node:http'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import { MAX_AUDIO_RANGE } from '../../src/shared/ipc/services/recordings'
import { longWebm } from '../fixtures/recording/long-webm'
import { launchChromium } from './support/browser'

/**
 * The 录音 player's range playback (src/renderer/features/recordings/range-playback.ts) in Chromium with an
 * hour-long call (~15 MB, more than Chromium keeps of an audio MediaSource): the ranges come as main sends them
 * (base64, at most 1 MB each). Playback must start on the first range alone (the server holds the others back
 * until the player can play), the length must be known at once, and once everything is loaded seeking near the
 * end and back near the start must work and play on.
 */
const ROOT = path.resolve(__dirname, '../..')

describe('playback of an hour-long recording in ranges (Chromium)', { timeout: 180_000 }, () => {
  const webm = longWebm(60)
  let server: http.Server
  let url = ''
  let browser: Browser
  let page: Page
  let playable = false
  let release: () => void = () => undefined
  const released = new Promise<void>((r) => (release = r))
  const ranges: number[] = []

  before(async () => {
    const bundle = await build({ entryPoints: [path.join(ROOT, 'src/renderer/features/recordings/range-playback.ts')], bundle: true, format: 'iife', globalName: 'RangePlayback', write: false, logLevel: 'silent' })
    const js = bundle.outputFiles[0]!.text
    server = http.createServer((req, res) => {
      const u = new URL(req.url!, 'http://x')
      if (u.pathname === '/range') {
        const offset = Number(u.searchParams.get('offset'))
        const length = Math.min(Number(u.searchParams.get('length')), MAX_AUDIO_RANGE)
        ranges.push(offset)
        // Everything after the first range waits until the page says it can play.
        void (offset === 0 ? Promise.resolve() : released).then(() => {
          const data = webm.subarray(offset, offset + length)
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ contentType: 'audio/webm', data: data.toString('base64'), offset, bytes: data.length, total: webm.length, durationMs: 3_600_000 }))
        })
        return
      }
      if (u.pathname === '/playable') {
        playable = true
        release()
        res.writeHead(204).end()
        return
      }
      const body = u.pathname === '/player.js' ? js : '<!doctype html><meta charset="utf-8"><audio></audio><script src="/player.js"></script>'
      res.writeHead(200, { 'content-type': u.pathname.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8' }).end(body)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
    browser = await launchChromium()
    page = await browser.newPage()
    await page.goto(url)
  })
  after(async () => {
    await browser?.close()
    await new Promise((r) => server?.close(r))
  })

  it('starts on the first range, knows the hour, and seeks near the end and back once loaded', async () => {
    // Page code as a string: the test runner's transform would reference helpers the page does not have.
    const result = (await page.evaluate(`(async () => {
      const el = document.querySelector('audio')
      let replaced = null
      const fetchRange = async (offset, length) => ({ ok: true, value: await (await fetch('/range?offset=' + offset + '&length=' + length)).json() })
      const p = await RangePlayback.startRangePlayback(fetchRange, {
        error: (e) => console.error(e.messageEn),
        replaceUrl: (u) => {
          replaced = u
          const at = el.currentTime
          el.src = u
          el.addEventListener('loadedmetadata', () => { el.currentTime = at; el.play() }, { once: true })
        }
      })
      el.src = p.url
      await new Promise((r) => el.addEventListener('canplay', r, { once: true }))
      const early = { duration: el.duration }
      await el.play()
      await fetch('/playable')
      await p.loaded
      if (replaced) await new Promise((r) => (el.readyState >= 1 && el.currentSrc === replaced ? r() : el.addEventListener('loadedmetadata', r, { once: true })))
      const seeks = []
      for (const s of [el.duration - 30, 5]) {
        el.currentTime = s
        await new Promise((r) => el.addEventListener('seeked', r, { once: true }))
        const at = el.currentTime
        await el.play()
        await new Promise((r) => setTimeout(r, 1000))
        seeks.push({ asked: s, at, later: el.currentTime, paused: el.paused })
      }
      return { mode: p.mode, replaced: !!replaced, early, duration: el.duration, seeks }
    })()`)) as {
      mode: string
      replaced: boolean
      early: { duration: number }
      duration: number
      seeks: { asked: number; at: number; later: number; paused: boolean }[]
    }
    console.log(JSON.stringify({ longPlayback: { bytes: webm.length, ranges: ranges.length, ...result } }))
    assert.ok(playable, 'the page could play')
    assert.equal(result.mode, 'stream')
    // Playable with the first range alone: the others were held back until then.
    assert.ok(ranges.length > 10, `${ranges.length} ranges`)
    assert.ok(Math.abs(result.early.duration - 3600) < 2, `length known at once: ${result.early.duration} s`)
    assert.ok(Math.abs(result.duration - 3600) < 2, `length ${result.duration} s`)
    for (const s of result.seeks) {
      assert.ok(Math.abs(s.at - s.asked) < 1, `seeked to ${s.at}, asked ${s.asked}`)
      assert.ok(s.later > s.at + 0.3 && !s.paused, `plays on from ${s.at} (→ ${s.later})`)
    }
  })
})
