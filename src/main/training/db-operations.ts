import type Database from 'better-sqlite3'
// The tables these queries need are registered with the migration runner by loading them.
import './migrations'

export interface AttemptRow {
  id: string
  scenario_id: string
  trainee: string
  started_at: number
  ringing_at: number | null
  answered_at: number | null
  ended_at: number | null
  ended_by: 'agent' | 'citizen' | 'rejected' | 'failed' | null
  sip_call_id: string | null
  call_id: string | null
  lines_spoken: number
  ticket_id: string | null
  ticket_category: string | null
  ticket_department: string | null
  score: string | null
}

const COLUMNS = ['ringing_at', 'answered_at', 'ended_at', 'ended_by', 'sip_call_id', 'call_id', 'lines_spoken', 'ticket_id', 'ticket_category', 'ticket_department', 'score'] as const
type Patch = Partial<Pick<AttemptRow, (typeof COLUMNS)[number]>>

/** The training feature's named queries, run in the database worker (see db/operations.ts). */
export const trainingOperations = {
  'training.insert': (db: Database.Database, a: { id: string; scenarioId: string; trainee: string; startedAt: number }): null => {
    db.prepare('INSERT INTO training_attempt(id, scenario_id, trainee, started_at) VALUES (?, ?, ?, ?)').run(a.id, a.scenarioId, a.trainee, a.startedAt)
    return null
  },
  'training.update': (db: Database.Database, a: { id: string; patch: Patch }): null => {
    // Column names come from the fixed list above, never from the caller.
    const keys = COLUMNS.filter((c) => Object.hasOwn(a.patch, c))
    if (!keys.length) return null
    db.prepare(`UPDATE training_attempt SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...keys.map((k) => a.patch[k] ?? null), a.id)
    return null
  },
  'training.get': (db: Database.Database, a: { id: string }): AttemptRow | null => (db.prepare('SELECT * FROM training_attempt WHERE id = ?').get(a.id) as AttemptRow | undefined) ?? null,
  'training.byCall': (db: Database.Database, a: { callId: string }): AttemptRow | null =>
    (db.prepare('SELECT * FROM training_attempt WHERE call_id = ? ORDER BY started_at DESC LIMIT 1').get(a.callId) as AttemptRow | undefined) ?? null,
  'training.list': (db: Database.Database, a: { trainee: string | null; limit: number }): AttemptRow[] =>
    (a.trainee === null
      ? db.prepare('SELECT * FROM training_attempt ORDER BY started_at DESC LIMIT ?').all(a.limit)
      : db.prepare('SELECT * FROM training_attempt WHERE trainee = ? ORDER BY started_at DESC LIMIT ?').all(a.trainee, a.limit)) as AttemptRow[]
} satisfies Record<string, (db: Database.Database, args: never) => unknown>
