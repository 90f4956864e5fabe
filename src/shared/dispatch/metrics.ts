/** Evaluation metrics for the dispatch model (pure). */

export interface EvalCase {
  gold: string
  /** Labels best first (at least the top 3 when there are that many). */
  ranked: string[]
  /** Calibrated probability of ranked[0]. */
  confidence: number
}

export interface EvalReport {
  n: number
  top1: number
  top3: number
  macroF1: number
  perClassF1: Record<string, number>
  /** Expected calibration error over 10 equal-width confidence bins. */
  ece: number
  /** Accuracy on the most confident 70 % of cases (the threshold that covers 70 %). */
  accuracyAt70Coverage: number
  /** The confidence threshold that covers 70 % of cases. */
  thresholdAt70Coverage: number
}

export function f1Scores(gold: readonly string[], pred: readonly string[]): { macro: number; perClass: Record<string, number> } {
  const labels = [...new Set(gold)].sort()
  const perClass: Record<string, number> = {}
  let sum = 0
  for (const l of labels) {
    let tp = 0
    let fp = 0
    let fn = 0
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === l
      const p = pred[i] === l
      if (g && p) tp++
      else if (p) fp++
      else if (g) fn++
    }
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)
    perClass[l] = round(f1)
    sum += f1
  }
  return { macro: labels.length ? sum / labels.length : 0, perClass }
}

export function expectedCalibrationError(conf: readonly number[], correct: readonly boolean[], bins = 10): number {
  const cnt = new Array<number>(bins).fill(0)
  const accSum = new Array<number>(bins).fill(0)
  const confSum = new Array<number>(bins).fill(0)
  conf.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins))
    cnt[b]!++
    confSum[b]! += c
    if (correct[i]) accSum[b]!++
  })
  let ece = 0
  for (let b = 0; b < bins; b++) if (cnt[b]! > 0) ece += Math.abs(accSum[b]! - confSum[b]!) / conf.length
  return ece
}

/** Accuracy on the `coverage` share of cases with the highest confidence, and the threshold that selects them. */
export function accuracyAtCoverage(
  conf: readonly number[],
  correct: readonly boolean[],
  coverage: number
): { accuracy: number; threshold: number } {
  const order = conf.map((c, i) => i).sort((a, b) => conf[b]! - conf[a]!)
  const k = Math.max(1, Math.ceil(order.length * coverage))
  let ok = 0
  for (let j = 0; j < k && j < order.length; j++) if (correct[order[j]!]) ok++
  return { accuracy: order.length ? ok / Math.min(k, order.length) : 0, threshold: conf[order[Math.min(k, order.length) - 1]!] ?? 0 }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!
}

export function evaluate(cases: readonly EvalCase[]): EvalReport {
  const gold = cases.map((c) => c.gold)
  const pred = cases.map((c) => c.ranked[0] ?? '')
  const correct = cases.map((c) => c.ranked[0] === c.gold)
  const conf = cases.map((c) => c.confidence)
  const f1 = f1Scores(gold, pred)
  const at70 = accuracyAtCoverage(conf, correct, 0.7)
  const n = cases.length
  return {
    n,
    top1: round(correct.filter(Boolean).length / Math.max(1, n)),
    top3: round(cases.filter((c) => c.ranked.slice(0, 3).includes(c.gold)).length / Math.max(1, n)),
    macroF1: round(f1.macro),
    perClassF1: f1.perClass,
    ece: round(expectedCalibrationError(conf, correct)),
    accuracyAt70Coverage: round(at70.accuracy),
    thresholdAt70Coverage: round(at70.threshold)
  }
}

export function round(x: number, digits = 4): number {
  const k = 10 ** digits
  return Math.round(x * k) / k
}
