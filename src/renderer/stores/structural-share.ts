/**
 * Structural sharing for the state mirror: every change from main arrives as a
 * whole new topic value (parsed JSON), so without this every object in it is new
 * and everything that reads any part of the topic re-renders. `share(prev, next)`
 * returns `next` with every part that is deep-equal to the matching part of
 * `prev` replaced by that old part (and `prev` itself when nothing changed): a
 * call state change leaves `phone.agent`, `phone.devices` and the other calls the
 * same objects, so the components reading only those stay as they are.
 */
export function share<T>(prev: unknown, next: T): T {
  if (prev === next) return next
  if (typeof prev !== 'object' || typeof next !== 'object' || prev === null || next === null) return next
  if (Array.isArray(prev) !== Array.isArray(next)) return next
  if (Array.isArray(next)) {
    const p = prev as unknown[]
    let same = p.length === next.length
    const out = next.map((v, i) => {
      const s = i < p.length ? share(p[i], v) : v
      if (s !== p[i]) same = false
      return s
    })
    return (same ? prev : out) as T
  }
  const p = prev as Record<string, unknown>
  const n = next as Record<string, unknown>
  const keys = Object.keys(n)
  let same = keys.length === Object.keys(p).length
  const out: Record<string, unknown> = {}
  for (const k of keys) {
    const s = k in p ? share(p[k], n[k]) : n[k]
    if (s !== p[k] || !(k in p)) same = false
    out[k] = s
  }
  return (same ? prev : out) as T
}
