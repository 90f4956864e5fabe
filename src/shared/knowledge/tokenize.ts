/**
 * Chinese-aware tokenisation for the knowledge index (R3).
 *
 * SQLite's FTS5 tokenisers know nothing of Chinese (unicode61 would make a whole
 * sentence one token, trigram cannot match 2-character words like 停水 or 社保),
 * and better-sqlite3 cannot register a tokeniser written in JS. So the desktop
 * tokenises in JS and stores the tokens, space-separated, in FTS5 columns that
 * unicode61 then only splits on the spaces. For every run of Han characters we emit:
 *   - character bigrams: they match any 2-character word and any partial input
 *     while the agent is still typing, without a dictionary;
 *   - ICU dictionary words (Intl.Segmenter 'zh') of 3+ characters (a 2-character
 *     word is already one of the bigrams): 出租车, 公积金 match as units, which
 *     ranks a real word hit above three scattered characters;
 *   - a lone Han character between punctuation as itself.
 * Single characters go in a separate unigram list, so a one-character query (水,
 * 电) still finds something. Latin letters and digits are kept as words.
 */

const HAN = /\p{Script=Han}/u
const RUN = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu
// Han characters outside the BMP (𠀀, 𪚥) are two UTF-16 units: test whole code points.
const isHanRun = (run: string) => HAN.test(String.fromCodePoint(run.codePointAt(0)!))
// ICU segmentation time grows badly with input length; each Han run is short.
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })

export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

export interface Tokens {
  /** Bigrams, 3+-character words, lone characters, latin/digit words: the main index terms. */
  terms: string[]
  /** Every Han character once per occurrence: for one-character queries. */
  chars: string[]
}

/** Tokens of a text, in order, with repeats (term frequency matters for ranking). */
export function tokenize(text: string): Tokens {
  const terms: string[] = []
  const chars: string[] = []
  for (const m of normaliseText(text).matchAll(RUN)) {
    const run = m[0]
    if (!isHanRun(run)) {
      // Mixed scripts inside \p{L} (e.g. kana) are rare here; keep them as one word.
      terms.push(run)
      continue
    }
    const cps = [...run]
    for (const c of cps) chars.push(c)
    if (cps.length === 1) {
      terms.push(run)
      continue
    }
    for (let i = 0; i + 1 < cps.length; i++) terms.push(cps[i]! + cps[i + 1]!)
    if (cps.length >= 3) {
      for (const s of segmenter.segment(run)) {
        if (s.isWordLike && [...s.segment].length >= 3) terms.push(s.segment)
      }
    }
  }
  return { terms, chars }
}

export interface QueryTerms {
  /** Distinct index terms of the query, in first-seen order. */
  terms: string[]
  /** Distinct Han characters of one-character runs (水 in "水 费用" or a query that is just 水). */
  chars: string[]
  /** The last latin/digit word when the query does not end in a separator: matched as a prefix while typing. */
  prefix: string | null
}

/** A Han run up to this long may be a word still being typed: all its bigrams are kept. */
const SHORT_RUN = 4

/**
 * Bigrams inside dictionary words, and the words of 3+ characters. A bigram across a word boundary (成物 in
 * 造成物业) is noise in a query: rare, so it would outrank the words that carry the meaning.
 */
function inWordTerms(run: string): string[] {
  const out: string[] = []
  for (const s of segmenter.segment(run)) {
    if (!s.isWordLike) continue
    const cps = [...s.segment]
    if (cps.length < 2) continue
    for (let i = 0; i + 1 < cps.length; i++) out.push(cps[i]! + cps[i + 1]!)
    if (cps.length >= 3) out.push(s.segment)
  }
  // A run the dictionary cannot split into words (names, rare terms) still has to match something.
  return out.length ? out : tokenize(run).terms
}

/** Query-side tokenisation: the same terms as the index, deduplicated, plus what is needed for typing-as-you-go. */
export function queryTerms(query: string): QueryTerms {
  const terms = new Set<string>()
  const chars = new Set<string>()
  let prefix: string | null = null
  const norm = normaliseText(query)
  const matches = [...norm.matchAll(RUN)]
  for (const m of matches) {
    const run = m[0]
    const cps = [...run]
    if (!isHanRun(run)) terms.add(run)
    else if (cps.length === 1) chars.add(run)
    else if (cps.length <= SHORT_RUN) for (const t of tokenize(run).terms) terms.add(t)
    else for (const t of inWordTerms(run)) terms.add(t)
  }
  const last = matches.at(-1)
  if (last && !isHanRun(last[0]) && last.index + last[0].length === norm.length) prefix = last[0]
  return { terms: [...terms], chars: [...chars], prefix }
}

/** Joins tokens for an FTS5 column (unicode61 splits on the spaces only, as tokens hold no separators). */
export function ftsColumn(tokens: readonly string[]): string {
  return tokens.join(' ')
}

/** An FTS5 string literal; terms hold only letters and digits, quoting keeps FTS5 operators (AND, NOT, NEAR) inert. */
export function ftsQuote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`
}
