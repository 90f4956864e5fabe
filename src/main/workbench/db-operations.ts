import type Database from 'better-sqlite3'
// The tables these queries need are registered with the migration runner by loading them.
import './migrations'

export interface DraftRow {
  id: string
  owner: string
  callId: string | null
  rev: number
  sealed: string
  status: 'open' | 'submitted' | 'discarded'
  createdAt: number
  updatedAt: number
}

interface RawDraft {
  id: string
  owner: string
  call_id: string | null
  rev: number
  sealed: string
  status: DraftRow['status']
  created_at: number
  updated_at: number
}
const toDraft = (r: RawDraft): DraftRow => ({ id: r.id, owner: r.owner, callId: r.call_id, rev: r.rev, sealed: r.sealed, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at })

export interface SubmissionRow {
  idempotencyKey: string
  owner: string
  draftId: string
  callId: string | null
  sealed: string
  submittedAt: number
  ticketId: number | null
  ticketNumber: string | null
  announced: boolean
}
/** A submission the platform has answered: its row (for paging) and the stored answer (sealed). */
export interface AcknowledgedSubmission extends SubmissionRow {
  row: number
  response: unknown
}
interface RawSubmission {
  idempotency_key: string
  owner: string
  draft_id: string
  call_id: string | null
  sealed: string
  submitted_at: number
  ticket_id: number | null
  ticket_number: string | null
  announced: number
}
const toSubmission = (r: RawSubmission): SubmissionRow => ({
  idempotencyKey: r.idempotency_key,
  owner: r.owner,
  draftId: r.draft_id,
  callId: r.call_id,
  sealed: r.sealed,
  submittedAt: r.submitted_at,
  ticketId: r.ticket_id,
  ticketNumber: r.ticket_number,
  announced: r.announced === 1
})

export interface CachedCaller {
  tickets: string[]
  calls: string[]
  meta: string | null
  refreshedAt: number | null
}

/** The workbench feature's named queries, run in the database worker (see db/operations.ts). */
export const workbenchOperations = {
  /**
   * Saves a draft if this revision is newer than the stored one. Refuses a draft
   * that belongs to someone else or was already submitted/discarded.
   */
  'wb.draft.save': (db: Database.Database, a: { id: string; owner: string; callId: string | null; rev: number; sealed: string; at: number }): 'saved' | 'stale' | 'forbidden' | 'closed' => {
    const row = db.prepare('SELECT owner, rev, status FROM wb_drafts WHERE id = ?').get(a.id) as { owner: string; rev: number; status: string } | undefined
    if (!row) {
      db.prepare('INSERT INTO wb_drafts(id, owner, call_id, rev, sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(a.id, a.owner, a.callId, a.rev, a.sealed, a.at, a.at)
      return 'saved'
    }
    if (row.owner !== a.owner) return 'forbidden'
    if (row.status !== 'open') return 'closed'
    if (a.rev <= row.rev) return 'stale'
    db.prepare('UPDATE wb_drafts SET rev = ?, sealed = ?, call_id = coalesce(call_id, ?), updated_at = ? WHERE id = ?').run(a.rev, a.sealed, a.callId, a.at, a.id)
    return 'saved'
  },
  'wb.draft.get': (db: Database.Database, a: { id: string }): DraftRow | null => {
    const r = db.prepare('SELECT * FROM wb_drafts WHERE id = ?').get(a.id) as RawDraft | undefined
    return r ? toDraft(r) : null
  },
  /** The owner's open drafts, newest first; with callId, only that call's. */
  'wb.draft.list': (db: Database.Database, a: { owner: string; callId?: string; limit: number }): DraftRow[] => {
    const rows =
      a.callId !== undefined
        ? db.prepare("SELECT * FROM wb_drafts WHERE owner = ? AND call_id = ? AND status = 'open' ORDER BY updated_at DESC LIMIT ?").all(a.owner, a.callId, a.limit)
        : db.prepare("SELECT * FROM wb_drafts WHERE owner = ? AND status = 'open' ORDER BY updated_at DESC LIMIT ?").all(a.owner, a.limit)
    return (rows as RawDraft[]).map(toDraft)
  },
  'wb.draft.close': (db: Database.Database, a: { id: string; owner: string; status: 'submitted' | 'discarded'; submissionKey: string | null; at: number }): boolean =>
    db.prepare("UPDATE wb_drafts SET status = ?, submission_key = ?, updated_at = ? WHERE id = ? AND owner = ? AND status = 'open'").run(a.status, a.submissionKey, a.at, a.id, a.owner).changes === 1,

  /** Everything cached for one number (by blind index): latest tickets and calls first. */
  'wb.caller.lookup': (db: Database.Database, a: { phoneIx: string; limit: number }): CachedCaller => {
    const tickets = db.prepare('SELECT sealed FROM wb_caller_tickets WHERE phone_ix = ? ORDER BY ticket_id DESC LIMIT ?').pluck().all(a.phoneIx, a.limit) as string[]
    const calls = db.prepare('SELECT sealed FROM wb_caller_calls WHERE phone_ix = ? ORDER BY queued_at DESC LIMIT ?').pluck().all(a.phoneIx, a.limit) as string[]
    const meta = db.prepare('SELECT sealed, refreshed_at FROM wb_callers WHERE phone_ix = ?').get(a.phoneIx) as { sealed: string; refreshed_at: number } | undefined
    return { tickets, calls, meta: meta?.sealed ?? null, refreshedAt: meta?.refreshed_at ?? null }
  },
  /** Stores what the platform answered for a number, replacing older copies of the same rows. */
  'wb.caller.store': (
    db: Database.Database,
    a: { phoneIx: string; tickets: { id: number; sealed: string }[]; calls: { id: number; queuedAt: string; sealed: string }[]; meta: string | null; at: number }
  ): null => {
    const t = db.prepare('INSERT INTO wb_caller_tickets(ticket_id, phone_ix, sealed) VALUES (?, ?, ?) ON CONFLICT(ticket_id) DO UPDATE SET phone_ix = excluded.phone_ix, sealed = excluded.sealed')
    const c = db.prepare('INSERT INTO wb_caller_calls(call_id, phone_ix, queued_at, sealed) VALUES (?, ?, ?, ?) ON CONFLICT(call_id) DO UPDATE SET phone_ix = excluded.phone_ix, queued_at = excluded.queued_at, sealed = excluded.sealed')
    const m = db.prepare('INSERT INTO wb_callers(phone_ix, sealed, refreshed_at) VALUES (?, ?, ?) ON CONFLICT(phone_ix) DO UPDATE SET sealed = excluded.sealed, refreshed_at = excluded.refreshed_at')
    db.transaction(() => {
      for (const x of a.tickets) t.run(x.id, a.phoneIx, x.sealed)
      for (const x of a.calls) c.run(x.id, a.phoneIx, x.queuedAt, x.sealed)
      if (a.meta !== null) m.run(a.phoneIx, a.meta, a.at)
    })()
    return null
  },

  'wb.submission.add': (db: Database.Database, a: { key: string; owner: string; draftId: string; callId: string | null; sealed: string; at: number }): null => {
    db.prepare('INSERT OR IGNORE INTO wb_submissions(idempotency_key, owner, draft_id, call_id, sealed, submitted_at) VALUES (?, ?, ?, ?, ?, ?)').run(a.key, a.owner, a.draftId, a.callId, a.sealed, a.at)
    return null
  },
  /**
   * Submissions the platform has answered (their createTicket is in outbox_done) and that are not yet announced,
   * in the order they were stored, after the row `after` (0: from the start): one batch of a sweep that pages on
   * until this answers nothing, so rows still waiting for the platform never hide the answered ones behind them.
   */
  'wb.submission.acknowledged': (db: Database.Database, a: { after: number; limit: number }): AcknowledgedSubmission[] =>
    (
      db
        .prepare(
          `SELECT s.rowid AS row, s.*, d.response AS response FROM wb_submissions s JOIN outbox_done d ON d.idempotency_key = s.idempotency_key
            WHERE s.announced = 0 AND s.rowid > ? ORDER BY s.rowid LIMIT ?`
        )
        .all(a.after, a.limit) as (RawSubmission & { row: number; response: string | null })[]
    ).map((r) => ({ ...toSubmission(r), row: r.row, response: r.response === null ? null : (JSON.parse(r.response) as unknown) })),
  /** Answered by the platform and not yet announced: derived work still to come (the sync indicator counts it). */
  'wb.submission.outstanding': (db: Database.Database): number =>
    db.prepare('SELECT count(*) FROM wb_submissions s WHERE s.announced = 0 AND EXISTS (SELECT 1 FROM outbox_done d WHERE d.idempotency_key = s.idempotency_key)').pluck().get() as number,
  /** The platform's number, kept once the receipt SMS is queued: announcing it again never queues a second. */
  'wb.submission.numbered': (db: Database.Database, a: { key: string; ticketId: number; ticketNumber: string }): null => {
    db.prepare('UPDATE wb_submissions SET ticket_id = ?, ticket_number = ? WHERE idempotency_key = ?').run(a.ticketId, a.ticketNumber, a.key)
    return null
  },
  /** Everything derived from the submission is done (its ticket announced; or no ticket: the agent gave it up). */
  'wb.submission.announced': (db: Database.Database, a: { key: string }): null => {
    db.prepare('UPDATE wb_submissions SET announced = 1 WHERE idempotency_key = ?').run(a.key)
    return null
  },
  'wb.submission.mine': (db: Database.Database, a: { owner: string; limit: number }): SubmissionRow[] =>
    (db.prepare('SELECT * FROM wb_submissions WHERE owner = ? ORDER BY submitted_at DESC LIMIT ?').all(a.owner, a.limit) as RawSubmission[]).map(toSubmission)
} satisfies Record<string, (db: Database.Database, args: never) => unknown>
