import type { FeatureContext } from '../features/feature'
import { DomainError, type SessionUser } from '../ipc/dispatcher'
import { open } from '../sync/sealed-outbox'
import { draftToTicketRequest } from '../../shared/workbench/ticket-request'
import type { Ticket } from '../../shared/api/tickets'
import { receiptFor, type ReceiptPlan } from '../../shared/workbench/receipt'
import { maskPhone } from '../../shared/api/masking'
import type { DerivedSource } from '../sync/derived-changes'
import type { DraftStore } from './drafts'
import type { AcknowledgedSubmission } from './db-operations'

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

/** How many answered submissions one query of a sweep reads. */
const SWEEP_BATCH = 50

/**
 * Submitting a draft: the whole intake, handling included (direct answer,
 * review, dispatch to a lead and co-handling departments with a deadline from
 * the urgency), is one createTicket change in the outbox, keyed by the draft's
 * id, so a double click, a crash or an outage still files it exactly once.
 *
 * What follows the platform's number is derived work (sync/derived-changes.ts):
 * each sweep takes every answered, unannounced submission and, if the agent left
 * 短信告知 ticked, queues the receipt SMS under a key derived from the draft's
 * (the outbox queues a key once, ever), keeps the number, then delivers
 * 'ticket.submitted' and waits for its listeners before marking it announced.
 * A crash anywhere in between repeats only steps that are safe to repeat.
 */
export class Submissions implements DerivedSource {
  readonly name = 'ticket submissions'

  constructor(
    private readonly ctx: FeatureContext,
    private readonly drafts: DraftStore,
    private readonly batch = SWEEP_BATCH
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
    // The platform may have answered before the submission was stored: its sweep found nothing to announce then.
    this.ctx.derived.kick()
    return { idempotencyKey: key, queuedAt: now, receiptTo: summary.receipt ? maskPhone(summary.receipt.phone) : null }
  }

  async sweep(): Promise<boolean> {
    let complete = true
    let after = 0
    for (;;) {
      const rows = await this.ctx.db.call('wb.submission.acknowledged', { after, limit: this.batch })
      if (rows.length === 0) return complete
      for (const s of rows) {
        after = s.row
        try {
          if (!(await this.derive(s))) complete = false
        } catch (err) {
          // One submission that cannot be derived now must not hold back the ones after it.
          this.ctx.log.warn('workbench: deriving a filed ticket failed; trying again later', { key: s.idempotencyKey, error: (err as Error).message })
          complete = false
        }
      }
    }
  }

  /** Everything that follows one answered submission; false when a listener failed (announced again later). */
  private async derive(s: AcknowledgedSubmission): Promise<boolean> {
    const answer = open(this.ctx.cipher, s.response) as Ticket | { discarded: true }
    if ('discarded' in answer) {
      // The agent gave the ticket up (sync problems): there is no ticket to announce or to send a receipt for.
      await this.ctx.db.call('wb.submission.announced', { key: s.idempotencyKey })
      return true
    }
    const ticket = answer
    const summary = JSON.parse(this.ctx.cipher.decryptText(s.sealed)) as SubmissionSummary
    if (s.ticketId === null) {
      // Queued before the number is kept: a crash in between queues the same key again, which the outbox refuses.
      if (summary.receipt) await this.enqueueReceipt(s.idempotencyKey, s.owner, ticket, summary.receipt)
      await this.ctx.db.call('wb.submission.numbered', { key: s.idempotencyKey, ticketId: ticket.id, ticketNumber: ticket.number })
    }
    const failures = await this.ctx.bus.deliver('ticket.submitted', {
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
    if (failures.length > 0) {
      this.ctx.log.warn('workbench: a filed ticket was not fully announced; announcing it again later', { ticketId: ticket.id, errors: failures.map((e) => e.message) })
      return false
    }
    await this.ctx.db.call('wb.submission.announced', { key: s.idempotencyKey })
    return true
  }

  private async enqueueReceipt(key: string, owner: string, ticket: Ticket, plan: ReceiptPlan): Promise<void> {
    const body = { templateId: plan.templateId, phone: plan.phone, variables: { number: ticket.number, days: String(plan.days) }, ticketId: ticket.id }
    await this.ctx.outbox.enqueue('sendSms', `sms:ticket:${ticket.id}`, { body }, owner, `receipt:${key}`)
    await this.ctx.audit.record(owner, 'sms.receipt_queued', `ticket:${ticket.id}`, { templateId: plan.templateId })
  }
}
