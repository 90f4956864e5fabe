/** Train-and-score runs shared by the CLI, the benchmark and the data-backed test. */

import { performance } from 'node:perf_hooks'
import { type EvalReport, evaluate, percentile, round } from '../../shared/dispatch/metrics'
import { type DispatchModel, type DutyEntry, type TrainOptions, type TrainingTicket, trainDispatchModel } from '../../shared/dispatch/model'

export interface CliReport extends EvalReport {
  trainMs: number
  p95LatencyMs: number
}

export function trainTimed(
  tickets: readonly TrainingTicket[],
  duty: readonly DutyEntry[] = [],
  options: Partial<TrainOptions> = {}
): { model: DispatchModel; trainMs: number } {
  const t0 = performance.now()
  const model = trainDispatchModel(tickets, duty, options)
  return { model, trainMs: Math.round(performance.now() - t0) }
}

/** Scores `model` on labelled rows; latency is the full `predict` (with explanation) per text. */
export function scoreModel(model: DispatchModel, rows: readonly { text: string; label: string }[]): EvalReport & { p95LatencyMs: number } {
  // Warm the JIT first (the desktop's model is warm after its first few keystrokes); every row is then timed.
  for (const r of rows.slice(0, 50)) model.predict(r.text)
  const lat: number[] = []
  const cases = rows.map((r) => {
    const t0 = performance.now()
    const p = model.predict(r.text)
    lat.push(performance.now() - t0)
    return { gold: r.label, ranked: p.top3.map((x) => x.label), confidence: p.confidence }
  })
  return { ...evaluate(cases), p95LatencyMs: round(percentile(lat, 95), 3) }
}

export function trainAndScore(
  train: readonly TrainingTicket[],
  test: readonly { text: string; label: string }[],
  options: Partial<TrainOptions> = {}
): CliReport {
  const { model, trainMs } = trainTimed(train, [], options)
  return { ...scoreModel(model, test), trainMs }
}
