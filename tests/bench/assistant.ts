// npm run bench:assistant — the seat assistant's speed, on loopback in a network namespace. Ends with one JSON line:
//   suggestP95Ms        the model's work per suggestion (predict with explanation, in the worker), sandbox model
//   roundTripP95Ms      assistant.suggest through main's IPC dispatcher: validation, role check, worker, answer
//   alertsP95Ms / checkP95Ms   the same for alerts and the pre-submit check
//   large*              a model trained on the public Teddy Cup set (8,205 messages, if ../shared/data is present):
//                       training time and size, sealed-file load (read, open, parse in the worker), predict p95 on raw messages in the worker and round trip
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseConfig } from '../../src/main/config/load-config'
import { createCore } from '../../src/main/core'
import { createMemoryLogger } from '../../src/main/logging'
import { DispatchWorkerClient } from '../../src/main/assistant/dispatch-client'
import { parseCsv } from '../../src/shared/csv'
import { parseLabelledCsv } from '../../src/shared/dispatch'
import { until } from '../platform/support'

const DATA = path.resolve(__dirname, '../../../shared/data/dispatch')
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!
const round = (x: number) => Math.round(x * 1000) / 1000

/** Raw citizen messages: the public unlabelled set when present, else the sandbox's own tickets. */
function rawTexts(fallback: string[]): string[] {
  const file = path.join(DATA, 'messages_unlabeled.csv')
  if (!fs.existsSync(file)) return fallback
  const { records } = parseCsv(fs.readFileSync(file, 'utf8'))
  return records.slice(1, 1001).map((r) => r.fields[1] ?? '').filter((t) => t.trim() !== '')
}

async function sandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-assistant-'))
  const config = parseConfig({ profile: 'sandbox', dataDir: path.join(dir, 'data') }, path.join(dir, 'config.json'))
  const core = await createCore(config, { kind: 'test', version: '0.0.0-bench', log: createMemoryLogger() })
  try {
    await core.session.login('agent01', 'sandbox')
    const t0 = performance.now()
    await until(async () => {
      const r = await core.dispatcher.handle('ui', 'assistant', 'status', {})
      return r.ok && (r.value as { state: string }).state === 'ready'
    }, 120_000)
    const firstTrainMs = performance.now() - t0
    const corpus = await core.platform.call('listDispatchCorpus', { query: { limit: 200 } })
    const texts = rawTexts(corpus.items.map((i) => i.content)).slice(0, 500)
    const time = async (method: string, args: (t: string) => Record<string, unknown>) => {
      for (const t of texts.slice(0, 30)) await core.dispatcher.handle('ui', 'assistant', method, args(t))
      const trip: number[] = []
      const model: number[] = []
      for (const t of texts) {
        const s = performance.now()
        const r = await core.dispatcher.handle('ui', 'assistant', method, args(t))
        trip.push(performance.now() - s)
        if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
        const ms = (r.value as { modelMs?: number }).modelMs
        if (ms !== undefined) model.push(ms)
      }
      return { trip: p95(trip), model: model.length ? p95(model) : null }
    }
    const suggest = await time('suggest', (text) => ({ text: text.slice(0, 4000) }))
    const alerts = await time('alerts', (text) => ({ text: text.slice(0, 4000) }))
    const check = await time('check', (text) => ({ content: text.slice(0, 4000), category: ['01', '01.02', '01.02.01'], department: 'zjj', area: ['玉州区'], address: '玉州区人民路', callerPhone: '13900000001' }))
    return { texts: texts.length, firstTrainMs: round(firstTrainMs), suggestP95Ms: round(suggest.model!), roundTripP95Ms: round(suggest.trip), alertsP95Ms: round(alerts.trip), checkP95Ms: round(check.trip) }
  } finally {
    await core.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function large() {
  const file = path.join(DATA, 'train.csv')
  if (!fs.existsSync(file)) return { large: 'skipped: ../shared/data/dispatch/train.csv not found' }
  const { rows } = parseLabelledCsv(fs.readFileSync(file, 'utf8'))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-assistant-large-'))
  const sealed = path.join(dir, 'dispatch-model.sealed')
  const worker = new DispatchWorkerClient(crypto.randomBytes(32))
  try {
    const trained = await worker.call({ op: 'train', tickets: rows, duty: [], options: {}, sealTo: sealed })
    const loadStart = performance.now()
    await worker.call({ op: 'open', file: sealed })
    const loadMs = performance.now() - loadStart
    const texts = rawTexts(rows.slice(0, 500).map((r) => r.text)).slice(0, 1000)
    for (const t of texts.slice(0, 50)) await worker.call({ op: 'predict', text: t })
    const model: number[] = []
    const trip: number[] = []
    for (const t of texts) {
      const s = performance.now()
      const r = await worker.call({ op: 'predict', text: t })
      trip.push(performance.now() - s)
      model.push(r!.ms)
    }
    return {
      largeTrainingRows: rows.length,
      largeTrainMs: Math.round(trained.trainMs),
      largeModelBytes: trained.bytes,
      largeLoadMs: Math.round(loadMs),
      largeSuggestP95Ms: round(p95(model)),
      largeWorkerRoundTripP95Ms: round(p95(trip)),
      largeTexts: texts.length
    }
  } finally {
    await worker.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function main() {
  const s = await sandbox()
  const l = await large()
  process.stdout.write(JSON.stringify({ ...s, ...l }) + '\n')
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  }
)
