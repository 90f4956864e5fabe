/**
 * Canonical JSON: every object's keys sorted (by UTF-16 code unit, recursively), no whitespace, `undefined`
 * members left out as JSON.stringify leaves them out. Two bodies that carry the same fields in another order
 * serialise to the same string, so a retried request whose client rebuilt the object is recognised as the same
 * request. Arrays keep their order: order in an array is meaning (departments, article ids).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`
}
