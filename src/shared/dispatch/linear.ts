/**
 * One-vs-rest linear SVM (L2-regularised, squared hinge loss) trained by dual coordinate descent — the algorithm
 * of LIBLINEAR (Hsieh et al., ICML 2008). Sample weights scale each example's C, which is how agent overrides are
 * folded in. A bias is learned as an extra constant feature.
 */

import type { SparseVec } from './features'
import { Rng } from './rng'

export interface LinearModel {
  /** weights[k] has `dim + 1` entries; the last is the bias. */
  weights: Float32Array[]
  dim: number
}

export interface SvmOptions {
  C: number
  epochs: number
  /** Stop early when the largest projected-gradient step falls below this. */
  tol: number
  seed: number
}

export const DEFAULT_SVM: SvmOptions = { C: 0.5, epochs: 30, tol: 0.05, seed: 7 }

const BIAS = 1

export function trainOvrSvm(
  xs: readonly SparseVec[],
  ys: readonly number[],
  numClasses: number,
  dim: number,
  opts: SvmOptions = DEFAULT_SVM,
  sampleWeights?: readonly number[]
): LinearModel {
  const n = xs.length
  const qii = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = BIAS * BIAS
    const v = xs[i]!.val
    for (let k = 0; k < v.length; k++) s += v[k]! * v[k]!
    qii[i] = s
  }
  const weights: Float32Array[] = []
  const order = Array.from({ length: n }, (_, i) => i)
  for (let c = 0; c < numClasses; c++) {
    const w = new Float64Array(dim + 1)
    const alpha = new Float64Array(n)
    const rng = new Rng(opts.seed + c)
    const diag = new Float64Array(n)
    for (let i = 0; i < n; i++) diag[i] = 1 / (2 * opts.C * (sampleWeights?.[i] ?? 1))
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      rng.shuffle(order)
      let maxPg = 0
      for (const i of order) {
        const x = xs[i]!
        const y = ys[i] === c ? 1 : -1
        let dot = w[dim]! * BIAS
        const idx = x.idx
        const val = x.val
        for (let k = 0; k < idx.length; k++) dot += w[idx[k]!]! * val[k]!
        const a = alpha[i]!
        const g = y * dot - 1 + diag[i]! * a
        const pg = a === 0 ? Math.min(g, 0) : g
        if (Math.abs(pg) > maxPg) maxPg = Math.abs(pg)
        if (Math.abs(pg) < 1e-12) continue
        const na = Math.max(a - g / (qii[i]! + diag[i]!), 0)
        const d = (na - a) * y
        if (d === 0) continue
        alpha[i] = na
        for (let k = 0; k < idx.length; k++) w[idx[k]!]! += d * val[k]!
        w[dim]! += d * BIAS
      }
      if (maxPg < opts.tol) break
    }
    weights.push(Float32Array.from(w))
  }
  return { weights, dim }
}

/**
 * Feature-major copy of the weights (`w[f·K + k]`, bias last): scoring touches one short contiguous row per feature
 * instead of K rows spread over megabytes, which is what keeps the per-keystroke path fast.
 */
const featureMajor = new WeakMap<LinearModel, Float32Array>()

function byFeature(model: LinearModel): Float32Array {
  let fm = featureMajor.get(model)
  if (!fm) {
    const K = model.weights.length
    fm = new Float32Array((model.dim + 1) * K)
    model.weights.forEach((w, k) => {
      for (let f = 0; f <= model.dim; f++) fm![f * K + k] = w[f]!
    })
    featureMajor.set(model, fm)
  }
  return fm
}

export function scores(model: LinearModel, x: SparseVec): number[] {
  const K = model.weights.length
  const fm = byFeature(model)
  const out = new Float64Array(K)
  for (let k = 0; k < K; k++) out[k] = fm[model.dim * K + k]! * BIAS
  for (let j = 0; j < x.idx.length; j++) {
    const base = x.idx[j]! * K
    const v = x.val[j]!
    for (let k = 0; k < K; k++) out[k]! += fm[base + k]! * v
  }
  return Array.from(out)
}
