/**
 * Repeat / duplicate ticket detection (重复件): the same caller within N days, or near-identical content within
 * N days. Content similarity is Jaccard over character 2-shingles of the normalised text (punctuation, spaces and
 * function characters removed, digits collapsed), which survives re-wording of the connective tissue and
 * different segmentation.
 */

const FUNCTION_CHARS = /[的了是在和与及也都就还又吧吗呢啊呀我你您他她它们这那个请]/gu

export function normaliseForSimilarity(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/[0-9]+/g, '0')
    .replace(FUNCTION_CHARS, '')
}

export function shingles(text: string, k = 2): Set<string> {
  const t = normaliseForSimilarity(text)
  const out = new Set<string>()
  if (t.length > 0 && t.length < k) out.add(t)
  for (let i = 0; i + k <= t.length; i++) out.add(t.slice(i, i + k))
  return out
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let inter = 0
  for (const s of small) if (large.has(s)) inter++
  return inter / (a.size + b.size - inter)
}

/** Content similarity of two texts in [0, 1]. */
export function textSimilarity(a: string, b: string): number {
  return jaccard(shingles(a), shingles(b))
}

export interface PastTicket {
  id: string
  text: string
  /** ISO time the ticket was created. */
  createdAt: string
  callerPhone?: string
  address?: string
}

export interface DuplicateCandidate {
  ticketId: string
  reason: 'same-caller' | 'similar-content' | 'same-caller-similar-content'
  similarity: number
  daysAgo: number
}

export interface DuplicateOptions {
  /** Look back this many days. */
  withinDays: number
  /** Content similarity at or above this counts as near-identical. */
  threshold: number
  /** At most this many candidates, best first. */
  limit: number
}

export const DEFAULT_DUPLICATE_OPTIONS: DuplicateOptions = { withinDays: 30, threshold: 0.6, limit: 5 }

const DAY_MS = 86_400_000

function digitsOnly(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '')
}

/**
 * Candidates among `history` for the draft ticket. Same-caller hits are listed even when the content differs
 * (a repeat caller matters to the agent); content hits must reach the threshold.
 */
export function findDuplicates(
  draft: { text: string; callerPhone?: string; at: string },
  history: readonly PastTicket[],
  options: Partial<DuplicateOptions> = {}
): DuplicateCandidate[] {
  const opts = { ...DEFAULT_DUPLICATE_OPTIONS, ...options }
  const now = Date.parse(draft.at)
  if (Number.isNaN(now)) throw new Error(`findDuplicates: bad time ${JSON.stringify(draft.at)}`)
  const mine = shingles(draft.text)
  const phone = draft.callerPhone ? digitsOnly(draft.callerPhone) : ''
  const out: DuplicateCandidate[] = []
  for (const t of history) {
    const at = Date.parse(t.createdAt)
    if (Number.isNaN(at)) continue
    const daysAgo = (now - at) / DAY_MS
    if (daysAgo < 0 || daysAgo > opts.withinDays) continue
    const sameCaller = phone !== '' && t.callerPhone !== undefined && digitsOnly(t.callerPhone) === phone
    const similarity = jaccard(mine, shingles(t.text))
    const similar = similarity >= opts.threshold
    if (!sameCaller && !similar) continue
    out.push({
      ticketId: t.id,
      reason: sameCaller && similar ? 'same-caller-similar-content' : sameCaller ? 'same-caller' : 'similar-content',
      similarity: Math.round(similarity * 1000) / 1000,
      daysAgo: Math.round(daysAgo * 10) / 10
    })
  }
  const rank = (c: DuplicateCandidate): number => (c.reason === 'same-caller-similar-content' ? 2 : 0) + c.similarity
  return out.sort((a, b) => rank(b) - rank(a) || a.daysAgo - b.daysAgo).slice(0, opts.limit)
}
