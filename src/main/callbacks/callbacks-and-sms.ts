import { randomUUID } from 'node:crypto'
import type { FeatureContext } from '../features/feature'
import type { SessionUser } from '../ipc/dispatcher'
import { DomainError } from '../ipc/dispatcher'
import { open } from '../sync/sealed-outbox'
import { maskPhone, maySeeCitizenContact } from '../../shared/api/masking'
import type { CallbackTask } from '../../shared/api/callbacks'
import type { SmsMessage } from '../../shared/api/sms'
import type { CallbackView, SmsView } from '../../shared/ipc/services/knowledge'
import type { ArgsOf } from '../../shared/ipc/contract'

/**
 * Callbacks (回访) and SMS (R5). Callback results are changes for the platform, so they go through the outbox
 * (durable when the agent presses save, sent exactly once, a refusal comes back with the platform's field
 * reasons); tasks and SMS are read from the platform. Numbers are masked for roles that do not phone citizens.
 */
const entityKey = (taskId: number) => `callback:${taskId}`
const OUTBOX_SCAN = 1000

interface ApiErrorBody {
  message_zh?: string
  message_en?: string
  issues?: { path: string; message_zh: string; message_en: string }[]
}

function contactFor(user: SessionUser, phone: string): { phone: string; phoneMasked: boolean } {
  return maySeeCitizenContact(user.roles, { confidential: false, isCreator: false }) ? { phone, phoneMasked: false } : { phone: maskPhone(phone), phoneMasked: true }
}

export function createCallbacksAndSms(ctx: Pick<FeatureContext, 'db' | 'cipher' | 'platform' | 'audit' | 'outbox' | 'bus'>) {
  const { db, cipher, platform, audit } = ctx
  // How the last callback call for each ticket ended, so a no-answer is offered as the result to record.
  const lastCall = new Map<string, { answered: boolean; endedAt: number }>()
  const unsubscribe = ctx.bus.on('call.ended', (e) => {
    if (e.purpose === 'callback' && e.ticketId) lastCall.set(e.ticketId, { answered: e.answeredAt !== null, endedAt: e.endedAt })
  })

  /** Results this desk holds for callback tasks: queued, or refused with the platform's reasons. */
  async function localResults(): Promise<Map<number, Pick<CallbackView, 'queued' | 'refused'>>> {
    const out = new Map<number, Pick<CallbackView, 'queued' | 'refused'>>()
    for (const e of await db.call('outbox.list', { limit: OUTBOX_SCAN })) {
      if (e.operation !== 'recordCallbackResult' || !e.entityKey?.startsWith('callback:')) continue
      const taskId = Number(e.entityKey.slice('callback:'.length))
      if (e.status === 'pending') out.set(taskId, { queued: true, refused: null })
      else {
        const err = (open(cipher, e.lastError) ?? {}) as ApiErrorBody
        out.set(taskId, {
          queued: false,
          refused: {
            seq: e.seq,
            message: err.message_zh ?? '平台拒绝了此回访结果',
            messageEn: err.message_en ?? 'The platform refused this result',
            fields: (err.issues ?? []).map((i) => ({ path: i.path, message: i.message_zh, messageEn: i.message_en }))
          }
        })
      }
    }
    return out
  }

  const smsView = (user: SessionUser, m: SmsMessage): SmsView => ({ ...m, ...contactFor(user, m.phone) })

  return {
    stop: unsubscribe,
    callbacks: {
      async list(args: ArgsOf<'callbacks', 'list'>, user: SessionUser): Promise<{ items: CallbackView[] }> {
        const query = { status: args.status, limit: 200, ...(args.due ? { dueBefore: new Date().toISOString() } : {}) }
        const [page, local] = await Promise.all([platform.call('listCallbacks', { query }), localResults()])
        await audit.record(user.username, 'callbacks.viewed', null, { count: page.items.length, status: args.status })
        return {
          items: page.items.map((task: CallbackTask) => ({ ...task, ...contactFor(user, task.phone), lastCall: lastCall.get(String(task.ticketId)) ?? null, ...(local.get(task.id) ?? { queued: false, refused: null }) }))
        }
      },
      async record(args: ArgsOf<'callbacks', 'record'>, user: SessionUser): Promise<{ queued: true }> {
        const local = (await localResults()).get(args.taskId)
        if (local?.queued) throw new DomainError('conflict', '该回访已有结果在等待同步', 'a result for this callback is already waiting to sync')
        await ctx.outbox.enqueue('recordCallbackResult', entityKey(args.taskId), { params: { id: args.taskId }, body: args.result }, user.username)
        await audit.record(user.username, 'callbacks.result_recorded', entityKey(args.taskId), { result: args.result.result })
        return { queued: true }
      }
    },
    sms: {
      templates: () => platform.call('listSmsTemplates'),
      async send(args: ArgsOf<'sms', 'send'>, user: SessionUser): Promise<SmsView> {
        let phone = args.phone
        if (!phone) {
          if (!args.ticketId) throw new DomainError('bad_request', '请填写手机号或选择工单', 'give a phone number or a ticket', [{ path: 'phone', message: '请填写手机号 (phone required)' }])
          const ticket = await platform.call('getTicket', { params: { id: args.ticketId } })
          if (!ticket.citizen.phone || ticket.citizen.masked)
            throw new DomainError('bad_request', '该工单没有可用的市民电话', 'this ticket has no citizen number you may use', [{ path: 'phone', message: '工单无联系电话 (no number on the ticket)' }])
          phone = ticket.citizen.phone
        }
        // One key per press of "send": a retried request after a lost answer never texts the citizen twice.
        const sent = await platform.call('sendSms', { body: { templateId: args.templateId, phone, variables: args.variables, ticketId: args.ticketId }, idempotencyKey: randomUUID() })
        await audit.record(user.username, 'sms.sent', args.ticketId ? `ticket:${args.ticketId}` : null, { templateId: args.templateId, smsId: sent.id })
        return smsView(user, sent)
      },
      async message(args: ArgsOf<'sms', 'message'>, user: SessionUser): Promise<SmsView> {
        return smsView(user, await platform.call('getSmsMessage', { params: { id: args.id } }))
      },
      async forTicket(args: ArgsOf<'sms', 'forTicket'>, user: SessionUser): Promise<{ items: SmsView[] }> {
        const page = await platform.call('listSmsMessages', { query: { ticketId: args.ticketId, limit: 50 } })
        return { items: page.items.map((m) => smsView(user, m)) }
      }
    }
  }
}
