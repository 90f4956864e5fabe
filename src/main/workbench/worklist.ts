import type { FeatureContext } from '../features/feature'
import type { SessionUser } from '../ipc/dispatcher'
import type { TicketSummary } from '../../shared/api/tickets'
import type { WorkRow } from '../../shared/ipc/services/workbench'
import { overdueMark } from '../../shared/workbench/deadline'
import type { DraftStore } from './drafts'
import type { SubmissionSummary } from './submissions'

const PAGE = 200
/** Pages of the platform's ticket list scanned for tickets from APP / WeChat / web. */
const CHANNEL_PAGES = 5

const ticketRow = (t: TicketSummary, now: number): WorkRow => ({
  key: `t${t.id}`,
  kind: 'ticket',
  ticketId: t.id,
  draftId: null,
  number: t.number,
  title: t.title,
  status: t.status,
  channel: t.channel,
  urgency: t.urgency,
  deadline: t.deadline,
  at: Date.parse(t.createdAt),
  mark: overdueMark(t.deadline, t.status, now)
})

/**
 * The agent's work list (R2): my tickets (with the ones still in the outbox),
 * my drafts, tickets that came in through APP / WeChat / web, and overdue ones.
 * Without the platform it still shows what this desk holds.
 */
export async function buildWorklist(ctx: FeatureContext, drafts: DraftStore, user: SessionUser) {
  const now = Date.now()
  const draftRows: WorkRow[] = user.roles.some((r) => r !== 'qa')
    ? (await drafts.list(user)).map((d) => ({
        key: `d${d.id}`,
        kind: 'draft',
        ticketId: null,
        draftId: d.id,
        number: '草稿',
        title: d.preview || '（空白草稿）',
        status: 'draft',
        channel: 'phone',
        urgency: 'normal',
        deadline: null,
        at: d.updatedAt,
        mark: null
      }))
    : []
  const pending: WorkRow[] = (await ctx.db.call('wb.submission.mine', { owner: user.username, limit: 500 }))
    .filter((s) => s.ticketId === null)
    .map((s) => {
      const sum = JSON.parse(ctx.cipher.decryptText(s.sealed)) as SubmissionSummary
      return { key: `p${s.idempotencyKey}`, kind: 'pending', ticketId: null, draftId: s.draftId, number: '待同步', title: sum.title, status: 'pending', channel: 'phone', urgency: sum.urgency, deadline: sum.deadline, at: s.submittedAt, mark: overdueMark(sum.deadline, 'pending', now) }
    })
  let offline = false
  let mine: WorkRow[] = []
  let channels: WorkRow[] = []
  let overdue: WorkRow[] = []
  try {
    const [minePage, overduePage] = await Promise.all([
      ctx.platform.call('listTickets', { query: { createdBy: user.username, limit: PAGE } }),
      ctx.platform.call('listTickets', { query: { overdue: 'true', limit: PAGE } })
    ])
    mine = minePage.items.map((t) => ticketRow(t, now))
    overdue = overduePage.items.map((t) => ticketRow(t, now))
    let cursor: string | undefined
    for (let i = 0; i < CHANNEL_PAGES; i++) {
      const page = await ctx.platform.call('listTickets', { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } })
      channels.push(...page.items.filter((t) => t.channel !== 'phone').map((t) => ticketRow(t, now)))
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
  } catch (err) {
    offline = true
    ctx.log.warn('workbench: work list from the platform failed', { error: (err as Error).message })
    mine = []
    channels = []
    overdue = []
  }
  await ctx.audit.record(user.username, 'worklist.view', null, { mine: mine.length, channels: channels.length, overdue: overdue.length })
  return { mine: [...pending, ...mine], drafts: draftRows, channels, overdue, offline }
}
