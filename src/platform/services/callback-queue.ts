import type { WriteScope } from '../http/handler-types'
import type { TicketRow } from './ticket-records'

/**
 * A reviewed ticket whose citizen left a number gets one callback task, due at once. The ticket workflow opens
 * the task here; the callback operations (callback-tasks.ts) work it and move the ticket on when it is done, so
 * this step lives apart from both and neither imports the other.
 */
export function createCallbackTask(scope: WriteScope, ticket: TicketRow): void {
  const info = scope.ctx.db
    .prepare("INSERT OR IGNORE INTO callback_tasks (ticket_id, phone, status, due_at, updated_at) VALUES (?, ?, 'pending', ?, ?)")
    .run(ticket.id, ticket.citizen_phone, scope.now, scope.now)
  if (info.changes) scope.emit('callback.updated', { id: Number(info.lastInsertRowid), ticketId: ticket.id, status: 'pending' })
}
