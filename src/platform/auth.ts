import crypto from 'node:crypto'
import os from 'node:os'
import { canonicalJson } from '../shared/api/canonical-json'
import type { Role } from '../shared/roles'
import type { Db } from './db/open-database'

/** A signed-in user as the handlers see it. */
export interface SessionUser {
  id: string
  username: string
  displayName: string
  roles: Role[]
  seatId: string | null
}

const SESSION_HOURS = 12
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 }

const encodeHash = (salt: Buffer, hash: Buffer) => `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`

/**
 * scrypt with a random salt; the stored string carries its parameters so they can be raised later. Synchronous,
 * for provisioning accounts (the sandbox seed) before the platform serves anyone; requests use verifyPassword.
 */
export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16)
  return encodeHash(salt, crypto.scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }))
}

/**
 * Password checks running at once: one core fewer than the machine has, so a burst of sign-ins queues here
 * instead of taking every core from the event loop that answers everyone else.
 */
const HASHES_AT_ONCE = Math.max(1, os.availableParallelism() - 1)
let hashing = 0
const waitingToHash: (() => void)[] = []

async function scrypt(password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions): Promise<Buffer> {
  if (hashing >= HASHES_AT_ONCE) await new Promise<void>((resolve) => waitingToHash.push(resolve))
  hashing++
  try {
    return await new Promise((resolve, reject) => crypto.scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))))
  } finally {
    hashing--
    waitingToHash.shift()?.()
  }
}

/**
 * Checks a password in libuv's thread pool, never on the event loop: a burst of sign-ins (or guesses) costs
 * threads, and everyone else's requests are still answered meanwhile.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) })
  return crypto.timingSafeEqual(actual, expected)
}

let dummyHash: Promise<string> | null = null
/**
 * A hash of a random password with the current parameters: checked when the username is unknown, so an unknown
 * user costs the same scrypt as a wrong password and the answer's timing does not tell whether an account exists.
 */
export function hashForUnknownUser(): Promise<string> {
  dummyHash ??= (async () => {
    const salt = crypto.randomBytes(16)
    return encodeHash(salt, await scrypt(crypto.randomBytes(16).toString('base64'), salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }))
  })()
  return dummyHash
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex')
/** How a session is known in memory and in the database: never the bearer token itself. */
export const sessionKey = (token: string) => sha256(token)

export interface UserRow {
  id: string
  username: string
  display_name: string
  roles: string
  seat_id: string | null
  password_hash: string
  sandbox: number
  disabled: number
}

export function toSessionUser(row: UserRow): SessionUser {
  return { id: row.id, username: row.username, displayName: row.display_name, roles: JSON.parse(row.roles) as Role[], seatId: row.seat_id }
}

export function createSession(db: Db, userId: string, now: Date): { token: string; expiresAt: string } {
  const token = crypto.randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString()
  db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(sha256(token), userId, now.toISOString(), expiresAt)
  return { token, expiresAt }
}

export function endSession(db: Db, token: string): void {
  db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(sha256(token))
}

/** The session behind a bearer token, or null when it is unknown, expired or the account is disabled. */
export function sessionForToken(db: Db, token: string, now: Date): { user: SessionUser; expiresAt: string } | null {
  const row = db
    .prepare(
      `SELECT u.*, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`
    )
    .get(sha256(token), now.toISOString()) as (UserRow & { expires_at: string }) | undefined
  return row ? { user: toSessionUser(row), expiresAt: row.expires_at } : null
}

export function userForToken(db: Db, token: string, now: Date): SessionUser | null {
  return sessionForToken(db, token, now)?.user ?? null
}

export function bearerToken(header: string | undefined): string | null {
  const m = header?.match(/^Bearer\s+(\S+)$/i)
  return m?.[1] ?? null
}

export interface NewUser {
  id: string
  username: string
  displayName: string
  roles: Role[]
  seatId?: string | null
  password: string
  sandbox?: boolean
}

export function insertUser(db: Db, u: NewUser): void {
  db.prepare(
    'INSERT INTO users (id, username, display_name, roles, seat_id, password_hash, sandbox) VALUES (?, ?, ?, ?, ?, ?, ?)'
  ).run(u.id, u.username, u.displayName, JSON.stringify(u.roles), u.seatId ?? null, hashPassword(u.password), u.sandbox ? 1 : 0)
}

/**
 * The fingerprint stored with an Idempotency-Key: canonical JSON (sorted keys), so a retry whose client rebuilt
 * the body with its fields in another order is the same request, and a different body is not.
 */
export function requestHash(parts: unknown): string {
  return `c:${sha256(canonicalJson(parts))}`
}

/** Whether `stored` fingerprints these parts; fingerprints stored by earlier versions hashed the parts as sent. */
export function sameRequest(stored: string, parts: unknown): boolean {
  return stored.startsWith('c:') ? stored === requestHash(parts) : stored === sha256(JSON.stringify(parts))
}

/** A raw (audio) body's part of the fingerprint. */
export function binaryDigest(body: Buffer): string {
  return sha256(JSON.stringify(body.toString('base64')))
}
