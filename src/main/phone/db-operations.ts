import type Database from 'better-sqlite3'
// The tables these queries need are registered with the migration runner by loading them.
import './migrations'

/** The phone feature's named queries, run in the database worker (see db/operations.ts). */
export const phoneOperations = {
  /**
   * Whether a call's platform registration (its createCall, by idempotency key) is queued or sent, and not given
   * up by the agent (a discarded change is kept in outbox_done in plain JSON marked `discarded`).
   */
  'phone.callRegistered': (db: Database.Database, a: { key: string }): boolean =>
    db.prepare('SELECT 1 FROM outbox WHERE idempotency_key = ?').get(a.key) !== undefined ||
    db.prepare(`SELECT 1 FROM outbox_done WHERE idempotency_key = ? AND coalesce(response, '') NOT LIKE '{"discarded":true%'`).get(a.key) !== undefined
} satisfies Record<string, (db: Database.Database, args: never) => unknown>
