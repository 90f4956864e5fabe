/**
 * Feature extraction: word unigrams, adjacent-word bigrams and character n-grams over the stop-word-stripped text,
 * weighted by sublinear TF × IDF and L2-normalised per block (words+bigrams, chars) so long messages do not let one
 * block dominate.
 *
 * Features have readable names (`w:小区`, `b:物业|收费`, `c:停车费`) for the model file and explanations, but the hot
 * path never builds those strings: every feature has a numeric key made of a word id or UTF-16 code units, looked
 * up in one Map<number, index>, and counts go into a reused dense scratch array. That keeps prediction well under
 * a millisecond for a typical message.
 */

import type { Token } from './text'

export interface FeatureOptions {
  /** Character n-gram lengths taken over the concatenated Han tokens; any of 1, 2, 3. */
  charNgrams: number[]
  wordBigrams: boolean
  /** Relative weight of the word block against the char block. */
  wordWeight: number
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { charNgrams: [1, 2, 3], wordBigrams: true, wordWeight: 1 }

export interface SparseVec {
  idx: Int32Array
  val: Float32Array
}

// Key layout (all below 2^53): chars n=1 [0, 2^16), n=2 2^16 + [0, 2^32), n=3 2^33 + [0, 2^48),
// bigram 2^49 + id1·2^22 + id2, word 2^50 + id. Word ids are below 2^22.
const P16 = 65536
const CHAR2 = P16
const CHAR3 = 2 ** 33
const BIGRAM = 2 ** 49
const WORD = 2 ** 50
const P22 = 2 ** 22

/** Assigns ids to words; the same words in the same order give the same ids. */
export class WordTable {
  readonly ids = new Map<string, number>()
  readonly words: string[] = []
  id(word: string, add: boolean): number | undefined {
    let id = this.ids.get(word)
    if (id === undefined && add) {
      if (this.words.length >= P22) throw new Error('word table full')
      id = this.words.length
      this.ids.set(word, id)
      this.words.push(word)
    }
    return id
  }
}

/** Calls `emit(key, isChar)` once per feature occurrence in the token stream. */
export function emitKeys(
  tokens: readonly Token[],
  opts: FeatureOptions,
  table: WordTable,
  addWords: boolean,
  emit: (key: number, isChar: boolean) => void
): void {
  let prev = -1
  let han = ''
  for (const t of tokens) {
    const id = table.id(t.text, addWords)
    if (id !== undefined) {
      emit(WORD + id, false)
      if (opts.wordBigrams && prev >= 0) emit(BIGRAM + prev * P22 + id, false)
      prev = id
    } else {
      prev = -1
    }
    if (t.kind === 'han') han += t.text
  }
  const n = han.length
  for (const g of opts.charNgrams) {
    if (g === 1) for (let i = 0; i < n; i++) emit(han.charCodeAt(i), true)
    else if (g === 2) for (let i = 0; i + 1 < n; i++) emit(CHAR2 + han.charCodeAt(i) * P16 + han.charCodeAt(i + 1), true)
    else if (g === 3)
      for (let i = 0; i + 2 < n; i++)
        emit(CHAR3 + (han.charCodeAt(i) * P16 + han.charCodeAt(i + 1)) * P16 + han.charCodeAt(i + 2), true)
  }
}

/** Readable name of a key (inverse of `keyOfName`). */
export function nameOfKey(key: number, table: WordTable): string {
  if (key >= WORD) return 'w:' + table.words[key - WORD]!
  if (key >= BIGRAM) {
    const r = key - BIGRAM
    const a = Math.floor(r / P22)
    return 'b:' + table.words[a]! + '|' + table.words[r - a * P22]!
  }
  const codes: number[] = []
  if (key >= CHAR3) {
    let r = key - CHAR3
    const c3 = r % P16
    r = (r - c3) / P16
    const c2 = r % P16
    codes.push((r - c2) / P16, c2, c3)
  } else if (key >= CHAR2) {
    const r = key - CHAR2
    const c2 = r % P16
    codes.push((r - c2) / P16, c2)
  } else codes.push(key)
  return 'c:' + String.fromCharCode(...codes)
}

export function keyOfName(name: string, table: WordTable): number {
  const body = name.slice(2)
  switch (name.slice(0, 2)) {
    case 'w:':
      return WORD + table.id(body, true)!
    case 'b:': {
      const bar = body.indexOf('|')
      return BIGRAM + table.id(body.slice(0, bar), true)! * P22 + table.id(body.slice(bar + 1), true)!
    }
    case 'c:': {
      const c = (i: number): number => body.charCodeAt(i)
      if (body.length === 1) return c(0)
      if (body.length === 2) return CHAR2 + c(0) * P16 + c(1)
      if (body.length === 3) return CHAR3 + (c(0) * P16 + c(1)) * P16 + c(2)
      break
    }
  }
  throw new Error(`bad feature name ${JSON.stringify(name)}`)
}

/**
 * Open-addressing hash map from numeric feature keys (up to 2^53) to feature indices: several times faster than a
 * Map with heap-number keys on the per-keystroke path.
 */
export class KeyIndex {
  private readonly keys: Float64Array
  private readonly vals: Int32Array
  private readonly mask: number

  constructor(entries: Iterable<[number, number]>, size: number) {
    let cap = 16
    while (cap < size * 2) cap *= 2
    this.keys = new Float64Array(cap).fill(-1)
    this.vals = new Int32Array(cap)
    this.mask = cap - 1
    for (const [k, v] of entries) {
      let h = KeyIndex.hash(k) & this.mask
      while (this.keys[h] !== -1 && this.keys[h] !== k) h = (h + 1) & this.mask
      this.keys[h] = k
      this.vals[h] = v
    }
  }

  private static hash(k: number): number {
    const lo = k >>> 0 // ToUint32: k mod 2^32 for integers
    const hi = (k / 4294967296) | 0
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b)
    h ^= h >>> 15
    return Math.imul(h, 0xc2b2ae35) ^ (h >>> 13)
  }

  get(k: number): number {
    let h = KeyIndex.hash(k) & this.mask
    for (;;) {
      const x = this.keys[h]!
      if (x === k) return this.vals[h]!
      if (x === -1) return -1
      h = (h + 1) & this.mask
    }
  }
}

/** The model's feature space: feature names, IDF weights and the numeric lookup. */
export class FeatureSpace {
  readonly table = new WordTable()
  private readonly index: KeyIndex
  private readonly isChar: Uint8Array
  private scratch: Float64Array
  private readonly touched: number[] = []

  constructor(
    readonly names: readonly string[],
    readonly idf: Float32Array,
    readonly opts: FeatureOptions
  ) {
    this.isChar = new Uint8Array(names.length)
    const keys = names.map((n, i) => {
      if (n.startsWith('c:')) this.isChar[i] = 1
      return [keyOfName(n, this.table), i] as [number, number]
    })
    this.index = new KeyIndex(keys, names.length)
    this.scratch = new Float64Array(names.length)
  }

  get size(): number {
    return this.names.length
  }

  /**
   * Builds the space from training token streams: features in at least `minDf` documents, IDF smoothed as in
   * scikit-learn. Returns the space and each document's vector.
   */
  static fit(docs: readonly (readonly Token[])[], opts: FeatureOptions, minDf: number): { space: FeatureSpace; vectors: SparseVec[] } {
    const table = new WordTable()
    const df = new Map<number, number>()
    const docKeys: Map<number, number>[] = docs.map((tokens) => {
      const counts = new Map<number, number>()
      emitKeys(tokens, opts, table, true, (k) => counts.set(k, (counts.get(k) ?? 0) + 1))
      for (const k of counts.keys()) df.set(k, (df.get(k) ?? 0) + 1)
      return counts
    })
    const kept = [...df].filter(([, c]) => c >= minDf)
    const named = kept.map(([k, c]) => ({ name: nameOfKey(k, table), key: k, df: c }))
    named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const idf = new Float32Array(named.length)
    named.forEach((f, i) => (idf[i] = Math.log((1 + docs.length) / (1 + f.df)) + 1))
    const space = new FeatureSpace(
      named.map((f) => f.name),
      idf,
      opts
    )
    const trainIndex = new Map<number, number>(named.map((f, i) => [f.key, i]))
    const vectors = docKeys.map((counts) => {
      for (const [k, c] of counts) {
        const i = trainIndex.get(k)
        if (i !== undefined) space.accumulate(i, c)
      }
      return space.flush()
    })
    return { space, vectors }
  }

  private accumulate(i: number, c: number): void {
    if (this.scratch[i] === 0) this.touched.push(i)
    this.scratch[i]! += c
  }

  /** TF-IDF vector of a token stream; features outside the space are ignored. */
  vectorize(tokens: readonly Token[]): SparseVec {
    emitKeys(tokens, this.opts, this.table, false, (k) => {
      const i = this.index.get(k)
      if (i >= 0) this.accumulate(i, 1)
    })
    return this.flush()
  }

  /** Turns the scratch counts into a normalised sparse vector and clears the scratch. */
  private flush(): SparseVec {
    const t = Int32Array.from(this.touched).sort()
    this.touched.length = 0
    const val = new Float32Array(t.length)
    let sw = 0
    let sc = 0
    for (let k = 0; k < t.length; k++) {
      const i = t[k]!
      const v = (1 + Math.log(this.scratch[i]!)) * this.idf[i]!
      this.scratch[i] = 0
      val[k] = v
      if (this.isChar[i]) sc += v * v
      else sw += v * v
    }
    const kw = sw > 0 ? this.opts.wordWeight / Math.sqrt(sw) : 0
    const kc = sc > 0 ? 1 / Math.sqrt(sc) : 0
    for (let k = 0; k < t.length; k++) val[k]! *= this.isChar[t[k]!] ? kc : kw
    return { idx: t, val }
  }
}
