// npm run bench:recording — call recording in main, in the sandbox core with its embedded platform: a 5-minute
// call's 300 one-second chunks (4 KB of Opus each, as the phone host sends them) through the IPC dispatcher, each
// sealed and fdatasync'ed before it is answered (chunkDurable*: what a phone-host crash can lose is the chunk in
// flight); then finalising (join, WebM Duration, rewrite sealed) and the upload through the outbox to the platform.
// Ends with one JSON line of figures.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { parseConfig } from '../../src/main/config/load-config'
import { createCore } from '../../src/main/core'
import { createMemoryLogger } from '../../src/main/logging'
import { fixtureChunks } from '../fixtures/recording/fixture'

const CHUNKS = Number(process.argv[2] ?? 300)
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
const round = (x: number) => Math.round(x * 100) / 100

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rec-'))
  const config = parseConfig({ profile: 'sandbox', dataDir: path.join(dir, 'data') }, path.join(dir, 'config.json'))
  const core = await createCore(config, { kind: 'test', version: '0.0.0-bench', log: createMemoryLogger() })
  try {
    await core.session.login('agent01', 'sandbox')
    const phone = async (method: string, args: unknown) => {
      const r = await core.dispatcher.handle('phone', 'recordings', method, args)
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
    }
    const callId = 'bench-call'
    await phone('begin', { callId, startedAt: Date.now(), mimeType: 'audio/webm;codecs=opus' })
    // The first chunk carries the WebM header; the rest are ~1 s clusters of the same size as a real call's.
    const [head, ...body] = fixtureChunks()
    const durable: number[] = []
    let plainBytes = 0
    for (let seq = 0; seq < CHUNKS; seq++) {
      const chunk = seq === 0 ? head! : body[(seq - 1) % 2]!
      plainBytes += chunk.length
      const t = performance.now()
      await phone('chunk', { callId, seq, data: chunk.toString('base64') })
      durable.push(performance.now() - t)
    }
    const row = () => {
      const db = new Database(path.join(dir, 'data', 'desk.sqlite'), { readonly: true })
      try {
        return db.prepare('SELECT status, file FROM recordings WHERE call_id = ?').get(callId) as { status: string; file: string }
      } finally {
        db.close()
      }
    }
    const fileBytes = fs.statSync(path.join(dir, 'data', 'recordings', row().file)).size
    const ended = performance.now()
    await phone('end', { callId, durationMs: CHUNKS * 1000 })
    core.bus.emit('call.ended', {
      callId,
      direction: 'inbound',
      remoteNumber: '13907751234',
      actor: 'agent01',
      startedAt: Date.now() - CHUNKS * 1000,
      answeredAt: Date.now() - CHUNKS * 1000,
      endedAt: Date.now(),
      holdMs: 0,
      endedBy: 'remote',
      purpose: 'hotline',
      ticketId: null
    })
    let finalisedMs: number | null = null
    for (;;) {
      const s = row().status
      if (s !== 'recording' && finalisedMs === null) finalisedMs = performance.now() - ended
      if (s === 'uploaded' || s === 'rejected') break
      if (performance.now() - ended > 60_000) throw new Error(`not uploaded: ${s}`)
      await new Promise((r) => setTimeout(r, 20))
    }
    const uploadedMs = performance.now() - ended
    console.log(
      JSON.stringify({
        chunks: CHUNKS,
        chunkBytes: Math.round(plainBytes / CHUNKS),
        chunkDurableP50Ms: round(pct(durable, 0.5)),
        chunkDurableP95Ms: round(pct(durable, 0.95)),
        chunkDurableMaxMs: round(Math.max(...durable)),
        sealedOverheadBytesPerChunk: Math.round((fileBytes - plainBytes) / CHUNKS),
        endToFinalisedMs: Math.round(finalisedMs!),
        endToUploadedMs: Math.round(uploadedMs),
        status: row().status
      })
    )
  } finally {
    await core.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
