/**
 * Honest held-out splits: exact duplicates (after normalisation) are collapsed before splitting so the same ticket
 * never sits on both sides; conflicting duplicates keep the majority label, or are dropped on a tie.
 * Also the "raw simulations" used to check that a model trained on segmented text holds up on raw input.
 */

import { Rng } from './rng'
import { normalise } from './text'

export interface Labelled {
  id: string
  text: string
  label: string
  department?: string
}

export function dedupKey(text: string): string {
  return normalise(text).replace(/[\s\p{P}\p{S}]+/gu, '')
}

export interface DedupResult<T> {
  rows: T[]
  /** Copies removed that agreed with the kept row. */
  duplicates: number
  /** Rows removed because their copies disagreed on the label. */
  conflicts: number
}

export function deduplicate<T extends Labelled>(rows: readonly T[]): DedupResult<T> {
  const groups = new Map<string, T[]>()
  for (const r of rows) {
    const k = dedupKey(r.text)
    const g = groups.get(k)
    if (g) g.push(r)
    else groups.set(k, [r])
  }
  const out: T[] = []
  let duplicates = 0
  let conflicts = 0
  for (const g of groups.values()) {
    const votes = new Map<string, number>()
    for (const r of g) votes.set(r.label, (votes.get(r.label) ?? 0) + 1)
    const ranked = [...votes].sort((a, b) => b[1] - a[1])
    const top = ranked[0]!
    const second = ranked[1]
    if (second && second[1] === top[1]) {
      conflicts += g.length
      continue
    }
    out.push(g.find((r) => r.label === top[0])!)
    duplicates += top[1] - 1
    conflicts += g.length - top[1]
  }
  return { rows: out, duplicates, conflicts }
}

/** Stratified split: `testShare` of each label to the test side, chosen by a seeded shuffle. */
export function stratifiedSplit<T extends Labelled>(rows: readonly T[], testShare: number, seed: number): { train: T[]; test: T[] } {
  const byLabel = new Map<string, T[]>()
  for (const r of rows) {
    const g = byLabel.get(r.label)
    if (g) g.push(r)
    else byLabel.set(r.label, [r])
  }
  const rng = new Rng(seed)
  const train: T[] = []
  const test: T[] = []
  for (const label of [...byLabel.keys()].sort()) {
    const g = rng.shuffle([...byLabel.get(label)!])
    const k = Math.round(g.length * testShare)
    test.push(...g.slice(0, k))
    train.push(...g.slice(k))
  }
  return { train, test }
}

/** Stratified k folds (fold index per row). */
export function stratifiedFolds<T extends Labelled>(rows: readonly T[], k: number, seed: number): number[] {
  const fold = new Array<number>(rows.length).fill(0)
  const byLabel = new Map<string, number[]>()
  rows.forEach((r, i) => {
    const g = byLabel.get(r.label)
    if (g) g.push(i)
    else byLabel.set(r.label, [i])
  })
  const rng = new Rng(seed)
  for (const label of [...byLabel.keys()].sort()) {
    rng.shuffle(byLabel.get(label)!).forEach((i, j) => (fold[i] = j % k))
  }
  return fold
}

/** Raw simulation 1: the segmented text with the spaces between tokens removed. */
export function joinSegmented(text: string): string {
  return text.replace(/(?<=\S)\s+(?=\S)/g, (m, off: number, s: string) => {
    // Keep a space between two latin/digit tokens so "a3 2015" does not fuse.
    const before = s[off - 1] ?? ''
    const after = s[off + m.length] ?? ''
    return /[a-z0-9]/i.test(before) && /[a-z0-9]/i.test(after) ? ' ' : ''
  })
}

const FILLERS = ['的', '了', '是', '我', '在', '和', '也', '都', '就', '这个', '我们', '因为', '但是', '所以', '还', '被', '把', '有']
const PUNCT = ['，', '。', '！', '？', '、', '；', '：']

/**
 * Raw simulation 2: the segmented text joined, with function words and punctuation put back at random token
 * boundaries (about one in `every` boundaries), so it reads more like what an agent types.
 */
export function noisyRaw(text: string, seed: number, every = 3): string {
  const rng = new Rng(seed)
  const tokens = text.split(/\s+/).filter((t) => t !== '')
  let out = ''
  for (const t of tokens) {
    if (out !== '' && /[a-z0-9]$/i.test(out) && /^[a-z0-9]/i.test(t)) out += ' '
    out += t
    const r = rng.next()
    if (r < 1 / every) out += FILLERS[rng.int(FILLERS.length)]!
    else if (r < 1.5 / every) out += PUNCT[rng.int(PUNCT.length)]!
  }
  return out
}
