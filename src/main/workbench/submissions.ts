import type { FeatureContext } from '../features/feature'
import { DomainError, type SessionUser } from '../ipc/dispatcher'
import { open } from '../sync/sealed-outbox'
import { draftToTicketRequest } from '../../shared/workbench/ticket-request'
import type { Ticket } from '../../shared/api/tickets'
import { receiptFor, type ReceiptPlan } from '../../shared/workbench/receipt'
import { maskPhone } from '../../shared/api/masking'
import type { DraftStore } from './drafts'

/** What the work list shows of a ticket that may not have reached the platform yet. */
export interface SubmissionSummary {
  title: string
  urgency: 'normal' | 'urgent' | 'critical'
  deadline: string | null
  content: string
  categoryId: string
  department: string | null
  handling: string
  /** The 受理回执 SMS to send once the platform has numbered the ticket (absent in summaries written before it existed). */
  receipt?: ReceiptPlan | null
}

/**
 * Submitting a draft: the whole intake, handling included (direct answer,
 * review, dispatch to a lead and co-handling departments with a deadline from
 * the urgency), is one createTicket change in the outbox, keyed by the draft's
 * id, so a double click, a crash or an outage still files it exactly once.
 * When the platform has numbered it, 'ticket.submitted' goes on the bus and,
 * if the agent left 短信告知 ticked, the receipt SMS goes into the outbox under
 * a key derived from the draft's, so it too is sent exactly once.
 */
export class Submissions {
  private timer: NodeJS.Timeout | null = null
  private resolving = false

  constructor(
    private readonly ctx: FeatureContext,
    private readonly drafts: DraftStore
  ) {}

  async submit(user: SessionUser, draftId: string): Promise<{ idempotencyKey: string; queuedAt: number; receiptTo: string | null }> {
    const row = await this.ctx.db.call('wb.draft.get', { id: draftId })
    if (!row || row.owner !== user.username) throw new DomainError('bad_request', '找不到这份草稿', 'No such draft')
    if (row.status === 'submitted') return { idempotencyKey: draftId, queuedAt: row.updatedAt, receiptTo: null }
    if (row.status !== 'open') throw new DomainError('conflict', '这份草稿已放弃', 'This draft was discarded')
    const fields = this.drafts.open(row.sealed)
    const now = Date.now()
    const request = draftToTicketRequest(fields, now)
    if (!request.ok)
      throw new DomainError(
        'bad_request',
        '工单信息不完整，请按提示修改',
        'The ticket is incomplete: see the fields',
        request.issues.map((i) => ({ path: i.field, message: `${i.zh} (${i.en})` }))
      )
    const body = request.body
    const key = draftId
    await this.ctx.outbox.enqueue('createTicket', `ticket:${draftId}`, { body }, user.username, key)
    const summary: SubmissionSummary = {
      title: body.title,
      urgency: body.urgency ?? 'normal',
      deadline: body.dispatch?.deadline ?? null,
      content: body.content,
      categoryId: body.categoryId,
      department: body.dispatch?.departments[0]?.departmentId ?? null,
      handling: body.handlingMode,
      receipt: receiptFor(fields)
    }
    await this.ctx.db.call('wb.submission.add', { key, owner: user.username, draftId, callId: row.callId, sealed: this.ctx.cipher.encryptText(JSON.stringify(summary)), at: now })
    await this.drafts.close(user, draftId, 'submitted', key)
    await this.ctx.audit.record(user.username, 'ticket.submit', `draft:${draftId}`, { handling: body.handlingMode, callId: row.callId })
    this.kick()
    return { idempotencyKey: key, queuedAt: now, receiptTo: summary.receipt ? maskPhone(summary.receipt.phone) : null }
  }

  start(): void {
    this.kick()
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** Look for numbered tickets now, then every second while some are still waiting. */
  kick(delayMs = 0): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.resolve(), delayMs)
    this.timer.unref?.()
  }

  private async enqueueReceipt(key: string, owner: string, ticket: Ticket, plan: ReceiptPlan): Promise<void> {
    const body = { templateId: plan.templateId, phone: plan.phone, variables: { number: ticket.number, days: String(plan.days) }, ticketId: ticket.id }
    await this.ctx.outbox.enqueue('sendSms', `sms:ticket:${ticket.id}`, { body }, owner, `receipt:${key}`)
    await this.ctx.audit.record(owner, 'sms.receipt_queued', `ticket:${ticket.id}`, { templateId: plan.templateId })
  }

  private async resolve(): Promise<void> {
    if (this.resolving) return
    this.resolving = true
    let waiting = 0
    try {
      for (const s of await this.ctx.db.call('wb.submission.unannounced', undefined as never)) {
        const done = await this.ctx.db.call('outbox.done', { idempotencyKey: s.idempotencyKey })
        if (!done) {
          waiting++
          continue
        }
        const ticket = open(this.ctx.cipher, done.response) as Ticket
        const summary = JSON.parse(this.ctx.cipher.decryptText(s.sealed)) as SubmissionSummary
        // Queued before the submission is marked resolved: a crash in between re-enqueues the same key, which the outbox keeps once.
        if (summary.receipt) await this.enqueueReceipt(s.idempotencyKey, s.owner, ticket, summary.receipt)
        await this.ctx.db.call('wb.submission.resolve', { key: s.idempotencyKey, ticketId: ticket.id, ticketNumber: ticket.number })
        this.ctx.bus.emit('ticket.submitted', {
          ticketId: String(ticket.id),
          ticketNumber: ticket.number,
          callId: s.callId,
          actor: s.owner,
          text: summary.content,
          category: summary.categoryId,
          department: summary.department,
          suggested: null,
          handling: summary.handling,
          at: Date.parse(ticket.createdAt) || Date.now()
        })
      }
    } catch (err) {
      this.ctx.log.warn('workbench: resolving submissions failed', { error: (err as Error).message })
      waiting++
    } finally {
      this.resolving = false
    }
    if (waiting > 0) this.kick(1000)
  }
}
