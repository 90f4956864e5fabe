/**
 * Regression floor on the public Teddy Cup data (not in the repo): when ../shared/data/dispatch/train.csv exists
 * next to the repository, train on a deterministic deduplicated 80/20 stratified split (seed 1) and require the
 * held-out figures — on the segmented text and on its raw simulations — to stay a little below what we measured
 * (top-1 0.936, macro-F1 0.932, top-3 0.994, accuracy at 70 % coverage 0.983). Skips with a message otherwise.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseLabelledCsv } from '../../shared/dispatch/csv'
import { deduplicate, joinSegmented, noisyRaw, stratifiedSplit } from '../../shared/dispatch/split'
import { scoreModel, trainTimed } from './evaluate'

const dataPath = resolve(__dirname, '../../../../shared/data/dispatch/train.csv')
const present = existsSync(dataPath)
if (!present) console.warn(`dispatch held-out test skipped: ${dataPath} not found`)

describe.skipIf(!present)('dispatch model on held-out public data', () => {
  it('clears the accuracy, calibration and latency floors on segmented and raw-simulated text', () => {
    const { rows, errors } = parseLabelledCsv(readFileSync(dataPath, 'utf8'))
    expect(errors).toEqual([])
    const { train, test } = stratifiedSplit(deduplicate(rows).rows, 0.2, 1)
    const { model, trainMs } = trainTimed(train)
    const variants = {
      segmented: test,
      joined: test.map((r) => ({ ...r, text: joinSegmented(r.text) })),
      noisy: test.map((r, i) => ({ ...r, text: noisyRaw(r.text, i) }))
    }
    for (const [name, rows] of Object.entries(variants)) {
      const r = scoreModel(model, rows)
      console.log(`held-out ${name}: ${JSON.stringify({ ...r, perClassF1: undefined, trainMs })}`)
      expect(r.top1, name).toBeGreaterThanOrEqual(0.925)
      expect(r.macroF1, name).toBeGreaterThanOrEqual(0.92)
      expect(r.top3, name).toBeGreaterThanOrEqual(0.99)
      expect(r.accuracyAt70Coverage, name).toBeGreaterThanOrEqual(0.975)
      expect(r.ece, name).toBeLessThanOrEqual(0.04)
      // Generous: CI machines are slower and busier than the one the 2 ms goal is measured on.
      expect(r.p95LatencyMs, name).toBeLessThan(10)
    }
    expect(trainMs).toBeLessThan(90_000)
  }, 120_000)
})
