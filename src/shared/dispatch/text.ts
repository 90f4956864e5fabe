/**
 * Text normalisation and word segmentation shared by training and prediction.
 *
 * The historical tickets we learn from may arrive already segmented with stop words removed (the public training
 * set), while the agent types raw text with punctuation and function words. Both sides therefore go through the
 * same pipeline so the model sees one distribution:
 *   1. NFKC (full-width → half-width), lower case;
 *   2. split into runs of Han characters, latin/digit runs; everything else (punctuation, spaces) is a boundary;
 *   3. each Han run is segmented by a unigram-language-model Viterbi over the training vocabulary (the same idea
 *      as jieba's DAG + max-probability route, so raw text is cut the way the segmented tickets were);
 *   4. function words (our own stop list) that the vocabulary never kept are dropped, which turns a raw message
 *      into something that looks like the stop-word-stripped training text.
 */

import { STOP_WORDS } from './stopwords'

const HAN = /\p{Script=Han}/u
const RUN = /\p{Script=Han}+|[a-z0-9]+/gu

export interface Token {
  text: string
  /** 'han' tokens feed char n-grams; 'alnum' tokens (codes, numbers) only word features. */
  kind: 'han' | 'alnum'
}

export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

export function isHan(ch: string): boolean {
  return HAN.test(ch)
}

/** Splits normalised text into Han runs and latin/digit runs; all other characters are boundaries. */
export function runs(text: string): Token[] {
  const out: Token[] = []
  for (const m of normalise(text).matchAll(RUN)) {
    const t = m[0]
    out.push({ text: t, kind: isHan(t[0]!) ? 'han' : 'alnum' })
  }
  return out
}

/** Maps digit-only tokens to a shape so phone numbers and dates do not each become a feature. */
export function alnumShape(t: string): string {
  if (/^[0-9]+$/.test(t)) return t.length <= 2 ? '#num' : t.length >= 7 ? '#longnum' : '#num' + t.length
  return t
}

interface TrieNode {
  next: Map<number, TrieNode> | undefined
  /** Log-probability when a word ends here, NaN otherwise. */
  logp: number
  /** The word ending here is vocabulary (not one of the extra stop words). */
  vocab: boolean
}

const newNode = (): TrieNode => ({ next: undefined, logp: NaN, vocab: false })

/**
 * Unigram word segmenter over a character trie. `freq` gives how often each word was seen; unknown characters cost
 * more than any known word so known words win. Words longer than `maxLen` are ignored.
 */
export class Segmenter {
  private readonly root = newNode()
  private readonly unknownCost: number
  private readonly vocab: ReadonlySet<string>

  /**
   * `freq`: the vocabulary with counts. `extra`: words that should be cut as units but are not vocabulary (stop
   * words), given a modest count so that "我们" is one token that is then dropped.
   */
  constructor(freq: ReadonlyMap<string, number>, extra: Iterable<string> = STOP_WORDS, maxLen = 8) {
    let total = 0
    for (const c of freq.values()) total += c
    total = Math.max(total, 1)
    const vocab = new Set<string>()
    for (const [w, c] of freq) {
      if (w.length > maxLen || c <= 0) continue
      this.insert(w, Math.log(c / total), true)
      vocab.add(w)
    }
    const extraLogp = Math.log(20 / total)
    for (const w of extra) if (w.length <= maxLen && !vocab.has(w)) this.insert(w, extraLogp, false)
    this.vocab = vocab
    this.unknownCost = Math.log(0.5 / total) - 4
  }

  private insert(word: string, logp: number, vocab: boolean): void {
    let node = this.root
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i)
      node.next ??= new Map()
      let child = node.next.get(c)
      if (!child) node.next.set(c, (child = newNode()))
      node = child
    }
    node.logp = logp
    node.vocab = vocab
  }

  /** True for vocabulary words (not for the extra stop words). */
  has(word: string): boolean {
    return this.vocab.has(word)
  }

  /**
   * Best segmentation of one Han run (dynamic programming from the right, like jieba's calc()). `known[k]` tells
   * whether word k is vocabulary.
   */
  segmentWithFlags(run: string): { words: string[]; known: boolean[] } {
    const n = run.length
    const best = new Float64Array(n + 1)
    const next = new Int32Array(n + 1)
    const vocabEnd = new Uint8Array(n + 1)
    for (let i = n - 1; i >= 0; i--) {
      let bestScore = this.unknownCost + best[i + 1]!
      let bestEnd = i + 1
      let bestVocab = 0
      let node: TrieNode | undefined = this.root
      for (let j = i; j < n; j++) {
        node = node.next?.get(run.charCodeAt(j))
        if (!node) break
        if (node.logp === node.logp) {
          const s = node.logp + best[j + 1]!
          // Any known word's log-probability beats the unknown-character cost.
          if (s > bestScore) {
            bestScore = s
            bestEnd = j + 1
            bestVocab = node.vocab ? 1 : 2
          }
        }
      }
      best[i] = bestScore
      next[i] = bestEnd
      vocabEnd[i] = bestVocab
    }
    const words: string[] = []
    const known: boolean[] = []
    for (let i = 0; i < n; i = next[i]!) {
      words.push(run.slice(i, next[i]!))
      known.push(vocabEnd[i] === 1)
    }
    return { words, known }
  }

  segment(run: string): string[] {
    return this.segmentWithFlags(run).words
  }
}

/**
 * Tokenises raw or segmented text into the model's word stream: Han runs segmented, stop words dropped (unless the
 * vocabulary kept them, i.e. the training tickets used them as content), unknown single characters merged into
 * unknown-word tokens.
 */
export function tokenize(text: string, seg: Segmenter): Token[] {
  const out: Token[] = []
  for (const r of runs(text)) {
    if (r.kind === 'alnum') {
      out.push({ text: alnumShape(r.text), kind: 'alnum' })
      continue
    }
    let unknown = ''
    // A lone unknown character between known words is almost always a function word the training text had
    // stripped (多, 该, 们 …); a run of two or more is kept as an unknown word (a name, a new term).
    const flush = (): void => {
      if (unknown.length >= 2) out.push({ text: unknown, kind: 'han' })
      unknown = ''
    }
    const { words, known } = seg.segmentWithFlags(r.text)
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!
      if (known[k]) {
        flush()
        out.push({ text: w, kind: 'han' })
      } else if (STOP_WORDS.has(w)) {
        flush()
      } else {
        unknown += w
      }
    }
    flush()
  }
  return out
}
