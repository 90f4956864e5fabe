/**
 * Pinyin initials of Chinese text (城市管理 → CSGL), so the category cascader
 * finds 噪音扰民 when the agent types "zy". No dictionary needed: ICU's pinyin
 * collation (Chromium and Node ship it) orders characters by reading, so a
 * character's initial is that of the last boundary character not after it.
 * Characters with several readings get the collation's primary one.
 */
const LETTERS = 'ABCDEFGHJKLMNOPQRSTWXYZ'
const BOUNDARIES = '吖八嚓哒妸发旮哈讥咔垃妈拏噢妑七呥仨他穵夕丫帀'

let collator: Intl.Collator | null = null
const cache = new Map<string, string>()

function initialOf(ch: string): string {
  if (/^[a-z0-9]$/i.test(ch)) return ch.toUpperCase()
  if (!/\p{Script=Han}/u.test(ch)) return ''
  const hit = cache.get(ch)
  if (hit !== undefined) return hit
  collator ??= new Intl.Collator('zh-Hans-CN-u-co-pinyin')
  let letter = ''
  for (let i = BOUNDARIES.length - 1; i >= 0; i--) {
    if (collator.compare(BOUNDARIES[i]!, ch) <= 0) {
      letter = LETTERS[i]!
      break
    }
  }
  cache.set(ch, letter)
  return letter
}

export function pinyinInitials(text: string): string {
  let out = ''
  for (const ch of text) out += initialOf(ch)
  return out
}

/** Does `label` match what the agent typed: a substring of the label, or of its initials (case-insensitive)? */
export function matchesQuery(label: string, query: string): boolean {
  const q = query.trim().toLowerCase()
  if (!q) return true
  if (label.toLowerCase().includes(q)) return true
  return /^[a-z]+$/.test(q) && pinyinInitials(label).toLowerCase().includes(q)
}
