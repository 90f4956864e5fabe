/**
 * Smart-dispatch command line.
 *
 *   npm run dispatch -- eval  --train FILE --test FILE [--duty FILE]   one JSON line of held-out figures
 *   npm run dispatch -- train --train FILE --out MODEL [--duty FILE]   writes the model file the desktop loads
 *   npm run dispatch -- split --data FILE --out DIR [--test-share 0.2] [--seed 1]
 *                                                         deduplicated stratified split (+ raw simulations of test)
 *   npm run dispatch -- predict --model MODEL [--text TEXT]           JSON per text (stdin lines without --text)
 *   npm run dispatch -- cv --train FILE [--folds 3] [--options JSON]    k-fold cross-validation inside FILE (tuning)
 *
 * CSV files have a header `id,text,label` (optional `department`); text may be raw or space-segmented. Duty files
 * have a header `departmentId,name,clause`, one clause per row. Bad rows are reported on stderr with their line
 * numbers and skipped; a file with no usable row is an error.
 */

import { readFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { csvColumns, csvField, parseCsv } from '../../shared/csv'
import { type LabelledRow, parseLabelledCsv } from '../../shared/dispatch/csv'
import { loadDispatchModel, serialiseDispatchModel } from '../../shared/dispatch/model-file'
import type { DutyEntry, TrainOptions } from '../../shared/dispatch/model'
import { deduplicate, joinSegmented, noisyRaw, stratifiedFolds, stratifiedSplit } from '../../shared/dispatch/split'
import { scoreModel, trainTimed } from './evaluate'

class UsageError extends Error {}

const USAGE = `usage:
  dispatch eval    --train FILE --test FILE [--duty FILE]
  dispatch train   --train FILE --out MODEL [--duty FILE]
  dispatch split   --data FILE --out DIR [--test-share 0.2] [--seed 1]
  dispatch predict --model MODEL [--text TEXT]
  dispatch cv      --train FILE [--folds 3] [--seed 1] [--options JSON]   cross-validation inside FILE (for tuning)`

function parseArgs(argv: string[]): { cmd: string; flags: Map<string, string> } {
  const [cmd, ...rest] = argv
  const flags = new Map<string, string>()
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"`)
    const v = rest[i + 1]
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`)
    flags.set(a.slice(2), v)
    i++
  }
  return { cmd: cmd ?? '', flags }
}

function need(flags: Map<string, string>, name: string): string {
  const v = flags.get(name)
  if (v === undefined) throw new UsageError(`missing --${name}`)
  return v
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
}

/** Reads a labelled CSV, reporting bad rows on stderr. */
function readLabelled(path: string): LabelledRow[] {
  const { rows, errors } = parseLabelledCsv(readText(path))
  for (const e of errors.slice(0, 20)) process.stderr.write(`${path}:${e.line}: ${e.message} (row skipped)\n`)
  if (errors.length > 20) process.stderr.write(`${path}: ${errors.length - 20} more bad rows skipped\n`)
  if (rows.length === 0) throw new UsageError(`${path}: no usable rows`)
  return rows
}

function readDuty(path: string): DutyEntry[] {
  const { records, errors } = parseCsv(readText(path))
  const header = records[0]?.fields ?? []
  const [iId, iName, iClause] = ['departmentId', 'name', 'clause'].map(csvColumns(records[0])) as [number, number, number]
  if (iId < 0 || iName < 0 || iClause < 0) throw new UsageError(`${path}: expected header departmentId,name,clause`)
  for (const e of errors) process.stderr.write(`${path}:${e.line}: ${e.message}\n`)
  const byId = new Map<string, DutyEntry>()
  for (const r of records.slice(1)) {
    const id = r.fields[iId]?.trim() ?? ''
    const clause = r.fields[iClause]?.trim() ?? ''
    if (r.fields.length !== header.length || id === '' || clause === '') {
      process.stderr.write(`${path}:${r.line}: expected departmentId, name and a clause (row skipped)\n`)
      continue
    }
    let d = byId.get(id)
    if (!d) byId.set(id, (d = { departmentId: id, name: r.fields[iName]?.trim() || id, clauses: [] }))
    d.clauses.push(clause)
  }
  return [...byId.values()]
}

function writeCsv(path: string, rows: readonly { id: string; text: string; label: string }[]): void {
  const lines = ['id,text,label', ...rows.map((r) => [r.id, r.text, r.label].map(csvField).join(','))]
  writeFileSync(path, lines.join('\n') + '\n')
}

async function main(argv: string[]): Promise<void> {
  const { cmd, flags } = parseArgs(argv)
  switch (cmd) {
    case 'eval': {
      const train = readLabelled(need(flags, 'train'))
      const test = readLabelled(need(flags, 'test'))
      const duty = flags.has('duty') ? readDuty(need(flags, 'duty')) : []
      const { model, trainMs } = trainTimed(train, duty)
      const r = scoreModel(model, test)
      const out = {
        n: r.n,
        top1: r.top1,
        top3: r.top3,
        macroF1: r.macroF1,
        perClassF1: r.perClassF1,
        trainMs,
        p95LatencyMs: r.p95LatencyMs,
        accuracyAt70Coverage: r.accuracyAt70Coverage,
        thresholdAt70Coverage: r.thresholdAt70Coverage,
        ece: r.ece,
        abstainThreshold: model.data.category.abstainThreshold,
        temperature: Math.round(model.data.category.temperature * 1e4) / 1e4
      }
      process.stdout.write(JSON.stringify(out) + '\n')
      return
    }
    case 'cv': {
      // Tune here, never on the held-out test file: k folds inside the training file, scored on the segmented
      // fold and on its raw (joined) form, since production text is raw.
      const rows = readLabelled(need(flags, 'train'))
      const k = Number(flags.get('folds') ?? 3)
      const seed = Number(flags.get('seed') ?? 1)
      if (!Number.isInteger(k) || k < 2) throw new UsageError('--folds must be an integer of at least 2')
      let options: Partial<TrainOptions> = {}
      try {
        options = flags.has('options') ? (JSON.parse(flags.get('options')!) as Partial<TrainOptions>) : {}
      } catch (e) {
        throw new UsageError(`--options is not JSON: ${(e as Error).message}`)
      }
      const fold = stratifiedFolds(rows, k, seed)
      const runs: { fold: number; trainMs: number; top1: number; macroF1: number; rawTop1: number; rawMacroF1: number; p95LatencyMs: number }[] = []
      for (let f = 0; f < k; f++) {
        const { model, trainMs } = trainTimed(rows.filter((_, i) => fold[i] !== f), [], options)
        const held = rows.filter((_, i) => fold[i] === f)
        const seg = scoreModel(model, held)
        const raw = scoreModel(model, held.map((r) => ({ ...r, text: joinSegmented(r.text) })))
        runs.push({ fold: f, trainMs, top1: seg.top1, macroF1: seg.macroF1, rawTop1: raw.top1, rawMacroF1: raw.macroF1, p95LatencyMs: raw.p95LatencyMs })
      }
      const mean = (key: 'top1' | 'macroF1' | 'rawTop1' | 'rawMacroF1' | 'trainMs') => Math.round((runs.reduce((a, r) => a + r[key], 0) / k) * 1e4) / 1e4
      process.stdout.write(
        JSON.stringify({ folds: k, options, top1: mean('top1'), macroF1: mean('macroF1'), rawTop1: mean('rawTop1'), rawMacroF1: mean('rawMacroF1'), trainMs: mean('trainMs'), runs }) + '\n'
      )
      return
    }
    case 'train': {
      const train = readLabelled(need(flags, 'train'))
      const duty = flags.has('duty') ? readDuty(need(flags, 'duty')) : []
      const outPath = need(flags, 'out')
      const { model, trainMs } = trainTimed(train, duty)
      const text = serialiseDispatchModel(model)
      writeFileSync(outPath, text)
      process.stdout.write(
        JSON.stringify({
          out: outPath,
          bytes: Buffer.byteLength(text),
          tickets: train.length,
          labels: model.labels,
          departments: model.data.department?.labels.length ?? 0,
          features: model.data.space.size,
          trainMs
        }) + '\n'
      )
      return
    }
    case 'split': {
      const rows = readLabelled(need(flags, 'data'))
      const dir = need(flags, 'out')
      const share = Number(flags.get('test-share') ?? '0.2')
      const seed = Number(flags.get('seed') ?? '1')
      if (!(share > 0 && share < 1)) throw new UsageError('--test-share must be between 0 and 1')
      if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer')
      const d = deduplicate(rows)
      const { train, test } = stratifiedSplit(d.rows, share, seed)
      mkdirSync(dir, { recursive: true })
      writeCsv(join(dir, 'train.csv'), train)
      writeCsv(join(dir, 'test.csv'), test)
      writeCsv(join(dir, 'test_joined.csv'), test.map((r) => ({ ...r, text: joinSegmented(r.text) })))
      writeCsv(join(dir, 'test_noisy.csv'), test.map((r, i) => ({ ...r, text: noisyRaw(r.text, i) })))
      process.stdout.write(
        JSON.stringify({ dir, rows: rows.length, kept: d.rows.length, duplicatesRemoved: d.duplicates, conflictsRemoved: d.conflicts, train: train.length, test: test.length, seed, testShare: share }) + '\n'
      )
      return
    }
    case 'predict': {
      const model = loadDispatchModel(readText(need(flags, 'model')))
      const one = (t: string): void => void process.stdout.write(JSON.stringify(model.predict(t)) + '\n')
      const text = flags.get('text')
      if (text !== undefined) return one(text)
      for await (const line of createInterface({ input: process.stdin })) if (line.trim() !== '') one(line)
      return
    }
    default:
      throw new UsageError(cmd === '' ? 'missing command' : `unknown command "${cmd}"`)
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`dispatch: ${e.message}\n${USAGE}\n`)
    process.exit(2)
  }
  process.stderr.write(`dispatch: ${(e as Error).message}\n`)
  process.exit(1)
})
