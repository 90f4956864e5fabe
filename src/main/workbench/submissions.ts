import type { FeatureContext } from '../features/feature'
import { DomainError, type SessionUser } from '../ipc/dispatcher'
import { open } from '../sync/sealed-outbox'
import { draftToTicketRequest } from '../../shared/workbench/ticket-request'
import type { Ticket } from '../../shared/api/tickets'
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
}

/**
 * Submitting a draft: the whole intake, handling included (direct answer,
 * review, dispatch to a lead and co-handling departments with a deadline from
 * the urgency), is one createTicket change in the outbox, keyed by the draft's
 * id, so a double click, a crash or an outage still files it exactly once.
 * When the platform has numbered it, 'ticket.submitted' goes on the bus.
 */
export class Submissions {
  private timer: NodeJS.Timeout | null = null
  private resolving = false

  constructor(
    private readonly ctx: FeatureContext,
    private readonly drafts: DraftStore
  ) {}

  async submit(user: SessionUser, draftId: string): Promise<{ idempotencyKey: string; queuedAt: number }> {
    const row = await this.ctx.db.call('wb.draft.get', { id: draftId })
    if (!row || row.owner !== user.username) throw new DomainError('bad_request', '找不到这份草稿', 'No such draft')
    if (row.status === 'submitted') return { idempotencyKey: draftId, queuedAt: row.updatedAt }
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
      handling: body.handlingMode
    }
    await this.ctx.db.call('wb.submission.add', { key, owner: user.username, draftId, callId: row.callId, sealed: this.ctx.cipher.encryptText(JSON.stringify(summary)), at: now })
    await this.drafts.close(user, draftId, 'submitted', key)
    await this.ctx.audit.record(user.username, 'ticket.submit', `draft:${draftId}`, { handling: body.handlingMode, callId: row.callId })
    this.kick()
    return { idempotencyKey: key, queuedAt: now }
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
        await this.ctx.db.call('wb.submission.resolve', { key: s.idempotencyKey, ticketId: ticket.id, ticketNumber: ticket.number })
        const summary = JSON.parse(this.ctx.cipher.decryptText(s.sealed)) as SubmissionSummary
        this.ctx.bus.emit('ticket.submitted', {
          ticketId: String(ticket.id),
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
