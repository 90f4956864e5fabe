/**
 * The 12345 ticket (工单) lifecycle (R2, issue 3):
 *
 * ```
 *  draft ─submit→ submitted ─answer→ closed                       (直接答复，一次办结)
 *                     │
 *                  dispatch (to one or more departments: one lead 主办, any co-handlers 协办)
 *                     ↓
 *  returned ←return─ dispatched ─sign→ signed ─handle→ handled ─review(ok)→ reviewed ─callback→ callback ─close→ closed
 *     │  ↑                               ↑  └─return→ returned        │                  └─close→ closed
 *     │  └───────────────return──────────┘     handled ─review(redo)→ signed             callback ─dispatch→ dispatched (不满意重办)
 *     ├─dispatch→ dispatched
 *     └─answer→ closed
 * ```
 * Extension (延期) and co-handling (增加协办单位) change a dispatched or signed
 * ticket without moving it, so they are actions with no transition.
 *
 * Pure data: the platform enforces it, the desktop uses it to enable buttons.
 */
export const TICKET_STATUSES = ['draft', 'submitted', 'dispatched', 'signed', 'handled', 'reviewed', 'callback', 'returned', 'closed'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

export const TICKET_STATUS_LABELS: Record<TicketStatus, string> = {
  draft: '草稿',
  submitted: '已受理',
  dispatched: '已交办',
  signed: '已签收',
  handled: '已办理',
  reviewed: '已审核',
  callback: '已回访',
  returned: '已退回',
  closed: '已办结'
}

export type TicketAction = 'submit' | 'answer' | 'dispatch' | 'sign' | 'return' | 'handle' | 'review' | 'callback' | 'close'

export interface TicketTransition {
  from: TicketStatus
  to: TicketStatus
  action: TicketAction
}

export const TICKET_TRANSITIONS: readonly TicketTransition[] = [
  { from: 'draft', to: 'submitted', action: 'submit' },
  { from: 'submitted', to: 'closed', action: 'answer' },
  { from: 'submitted', to: 'dispatched', action: 'dispatch' },
  { from: 'dispatched', to: 'signed', action: 'sign' },
  { from: 'dispatched', to: 'returned', action: 'return' },
  { from: 'signed', to: 'returned', action: 'return' },
  { from: 'signed', to: 'handled', action: 'handle' },
  { from: 'handled', to: 'reviewed', action: 'review' },
  { from: 'handled', to: 'signed', action: 'review' },
  { from: 'reviewed', to: 'callback', action: 'callback' },
  { from: 'reviewed', to: 'closed', action: 'close' },
  { from: 'callback', to: 'closed', action: 'close' },
  { from: 'callback', to: 'dispatched', action: 'dispatch' },
  { from: 'returned', to: 'dispatched', action: 'dispatch' },
  { from: 'returned', to: 'closed', action: 'answer' }
]

/** Actions that change a ticket in place, and the statuses that allow them. */
export const IN_PLACE_ACTIONS = {
  extend: ['dispatched', 'signed'],
  addCoHandler: ['dispatched', 'signed'],
  edit: ['draft', 'submitted', 'returned']
} as const satisfies Record<string, readonly TicketStatus[]>

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_TRANSITIONS.some((t) => t.from === from && t.to === to)
}

/** The statuses an action may lead to from `from` (empty: the action is not allowed now). */
export function targetsOf(from: TicketStatus, action: TicketAction): TicketStatus[] {
  return TICKET_TRANSITIONS.filter((t) => t.from === from && t.action === action).map((t) => t.to)
}

export function isOpen(status: TicketStatus): boolean {
  return status !== 'closed' && status !== 'draft'
}
