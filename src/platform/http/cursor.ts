import { errors } from './api-error'

/**
 * Opaque keyset cursors: the sort key of the last row of a page, base64url
 * JSON. Keyset (not OFFSET) so a page is as fast at row 900,000 as at row 1 and
 * rows inserted meanwhile do not shift pages.
 */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

export function decodeCursor(cursor: string | undefined, shape: ('string' | 'number')[]): (string | number)[] | null {
  if (cursor === undefined) return null
  let key: unknown
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    key = null
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((v, i) => typeof v !== shape[i]))
    throw errors.field('cursor', '分页游标无效', 'invalid cursor')
  return key as (string | number)[]
}

/** Cuts one extra row off (fetched to know whether another page exists) and makes the next cursor. */
export function pageFrom<Row, Item>(rows: Row[], limit: number, toItem: (r: Row) => Item, keyOf: (r: Row) => (string | number)[]) {
  const more = rows.length > limit
  const kept = more ? rows.slice(0, limit) : rows
  const last = kept[kept.length - 1]
  return { items: kept.map(toItem), nextCursor: more && last ? encodeCursor(keyOf(last)) : null }
}

/**
 * Builds `WHERE a AND b …` from optional filters: each `[sql, name, value]` is
 * used only when value is set, and its value bound as @name.
 */
export function whereOf(bind: Record<string, unknown>, filters: [sql: string, name: string, value: unknown][]): string {
  const parts: string[] = []
  for (const [sql, name, value] of filters) {
    if (value === undefined || value === null) continue
    parts.push(sql)
    bind[name] = value
  }
  return parts.length ? `WHERE ${parts.join(' AND ')}` : ''
}
