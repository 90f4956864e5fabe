import type Database from 'better-sqlite3'
// The tables these queries need are registered with the migration runner by loading them.
import './migrations'

export interface FeedbackRow {
  ticketId: string
  at: number
  agentId: string
  suggestedCategory: string | null
  chosenCategory: string
  isOverride: boolean
  /** The sealed OverrideRecord (JSON). */
  sealed: string
}

export interface InspectionRow {
  id: number
  ticketId: string | null
  callId: string | null
  agentId: string
  at: number
  service: number
  accuracy: number
  servicePassed: boolean
  accuracyPassed: boolean
  findings: unknown[]
}

interface RawInspection {
  id: number
  ticket_id: string | null
  call_id: string | null
  agent_id: string
  at: number
  service: number
  accuracy: number
  service_passed: number
  accuracy_passed: number
  findings: string
}

const toInspection = (r: RawInspection): InspectionRow => ({
  id: r.id,
  ticketId: r.ticket_id,
  callId: r.call_id,
  agentId: r.agent_id,
  at: r.at,
  service: r.service,
  accuracy: r.accuracy,
  servicePassed: r.service_passed === 1,
  accuracyPassed: r.accuracy_passed === 1,
  findings: JSON.parse(r.findings) as unknown[]
})

/** The assistant feature's named queries, run in the database worker (see db/operations.ts). */
export const assistantOperations = {
  /** The latest choice per ticket wins (a ticket re-filed after a return). */
  'assistant.feedback.put': (db: Database.Database, a: FeedbackRow): null => {
    db.prepare(
      `INSERT INTO assistant_feedback (ticket_id, at, agent_id, suggested_category, chosen_category, is_override, sealed)
       VALUES (@ticketId, @at, @agentId, @suggestedCategory, @chosenCategory, @isOverride, @sealed)
       ON CONFLICT(ticket_id) DO UPDATE SET at = excluded.at, agent_id = excluded.agent_id, suggested_category = excluded.suggested_category,
         chosen_category = excluded.chosen_category, is_override = excluded.is_override, sealed = excluded.sealed`
    ).run({ ...a, isOverride: a.isOverride ? 1 : 0 })
    return null
  },
  'assistant.feedback.sealed': (db: Database.Database, a: { since: number }): string[] =>
    (db.prepare('SELECT sealed FROM assistant_feedback WHERE at >= ? ORDER BY at').all(a.since) as { sealed: string }[]).map((r) => r.sealed),
  'assistant.feedback.counts': (db: Database.Database, _a: Record<string, never>): { total: number; overrides: number } =>
    db.prepare('SELECT COUNT(*) AS total, COALESCE(SUM(is_override), 0) AS overrides FROM assistant_feedback').get() as { total: number; overrides: number },
  'assistant.inspection.add': (db: Database.Database, a: Omit<InspectionRow, 'id'>): number =>
    Number(
      db
        .prepare(
          `INSERT INTO assistant_inspections (ticket_id, call_id, agent_id, at, service, accuracy, service_passed, accuracy_passed, findings)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(a.ticketId, a.callId, a.agentId, a.at, a.service, a.accuracy, a.servicePassed ? 1 : 0, a.accuracyPassed ? 1 : 0, JSON.stringify(a.findings)).lastInsertRowid
    ),
  'assistant.inspection.ofTicket': (db: Database.Database, a: { ticketId: string }): boolean => db.prepare('SELECT 1 FROM assistant_inspections WHERE ticket_id = ? LIMIT 1').get(a.ticketId) !== undefined,
  /** Newest first; `agentId` null lists everyone's (QA and team leads). */
  'assistant.inspection.list': (db: Database.Database, a: { agentId: string | null; limit: number }): InspectionRow[] => {
    const rows =
      a.agentId === null
        ? db.prepare('SELECT * FROM assistant_inspections ORDER BY at DESC, id DESC LIMIT ?').all(a.limit)
        : db.prepare('SELECT * FROM assistant_inspections WHERE agent_id = ? ORDER BY at DESC, id DESC LIMIT ?').all(a.agentId, a.limit)
    return (rows as RawInspection[]).map(toInspection)
  }
} satisfies Record<string, (db: Database.Database, args: never) => unknown>
