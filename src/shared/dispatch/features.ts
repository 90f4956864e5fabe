/**
 * Feature extraction: word unigrams, adjacent-word bigrams and character n-grams over the stop-word-stripped text,
 * weighted by sublinear TF × IDF and L2-normalised (each block separately, so long messages do not let one block
 * dominate).
 */

import { type Segmenter, type Token, tokenize } from './text'

export interface FeatureOptions {
  /** Character n-gram lengths taken over the concatenated Han tokens (e.g. [1, 2, 3]). */
  charNgrams: number[]
  wordBigrams: boolean
  /** Relative weight of the word block against the char block. */
  wordWeight: number
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { charNgrams: [1, 2, 3], wordBigrams: true, wordWeight: 1 }

/** Raw feature counts of one text. Word features are prefixed `w:`/`b:`, char n-grams `c:`. */
export function extractCounts(tokens: readonly Token[], opts: FeatureOptions): Map<string, number> {
  const counts = new Map<string, number>()
  const add = (f: string): void => {
    counts.set(f, (counts.get(f) ?? 0) + 1)
  }
  let han = ''
  let prev = ''
  for (const t of tokens) {
    add('w:' + t.text)
    if (opts.wordBigrams && prev !== '') add('b:' + prev + '|' + t.text)
    prev = t.text
    if (t.kind === 'han') han += t.text
  }
  for (const n of opts.charNgrams) {
    for (let i = 0; i + n <= han.length; i++) add('c:' + han.slice(i, i + n))
  }
  return counts
}

export interface SparseVec {
  idx: Int32Array
  val: Float32Array
}

/** Index of the feature space: names, IDF weights. */
export class FeatureSpace {
  readonly index = new Map<string, number>()
  constructor(
    readonly names: readonly string[],
    readonly idf: Float32Array,
    readonly opts: FeatureOptions
  ) {
    names.forEach((n, i) => this.index.set(n, i))
  }

  get size(): number {
    return this.names.length
  }

  /** Builds the space from training documents: features seen in at least `minDf` documents. */
  static fit(docs: readonly Map<string, number>[], opts: FeatureOptions, minDf: number, weights?: number[]): FeatureSpace {
    const df = new Map<string, number>()
    docs.forEach((d, i) => {
      const w = weights?.[i] ?? 1
      for (const f of d.keys()) df.set(f, (df.get(f) ?? 0) + w)
    })
    const names = [...df].filter(([, c]) => c >= minDf).map(([f]) => f)
    names.sort()
    let total = 0
    docs.forEach((_, i) => (total += weights?.[i] ?? 1))
    const idf = new Float32Array(names.length)
    names.forEach((f, i) => (idf[i] = Math.log((1 + total) / (1 + (df.get(f) ?? 0))) + 1))
    return new FeatureSpace(names, idf, opts)
  }

  /** TF-IDF vector (sublinear tf, per-block L2 normalisation); unknown features are ignored. */
  vectorize(counts: Map<string, number>): SparseVec {
    const word: [number, number][] = []
    const char: [number, number][] = []
    for (const [f, c] of counts) {
      const i = this.index.get(f)
      if (i === undefined) continue
      const v = (1 + Math.log(c)) * this.idf[i]!
      ;(f.charCodeAt(0) === 99 /* c */ ? char : word).push([i, v])
    }
    const norm = (block: [number, number][], scale: number): void => {
      let s = 0
      for (const [, v] of block) s += v * v
      if (s === 0) return
      const k = scale / Math.sqrt(s)
      for (const e of block) e[1] *= k
    }
    norm(word, this.opts.wordWeight)
    norm(char, 1)
    const all = word.concat(char).sort((a, b) => a[0] - b[0])
    const idx = new Int32Array(all.length)
    const val = new Float32Array(all.length)
    all.forEach(([i, v], k) => {
      idx[k] = i
      val[k] = v
    })
    return { idx, val }
  }
}

export function textCounts(text: string, seg: Segmenter, opts: FeatureOptions): Map<string, number> {
  return extractCounts(tokenize(text, seg), opts)
}
