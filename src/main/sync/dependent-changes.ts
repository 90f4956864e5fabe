import type { OutboxEntry } from '../db/outbox-operations'
import type { ChangePayload } from './change-payload'
import type { SendOutcome } from './sync-worker'

/**
 * Changes that name a record the platform has not numbered yet. A call is registered (createCall) the moment it
 * rings and updated when it is answered and when it ends, often before the platform has answered the first
 * request (offline, or simply queued behind other changes). The later changes cannot carry the platform's id, so
 * their payload says where to take it from: `paramsFrom: { id: { key: <idempotency key of the create>, field:
 * 'id' } }`. By the time such a change is sent, the create it names has been sent: the sync worker sends strictly
 * in order, and a parked create holds back every later change with the same entity key (outbox.next). The id is
 * then read from the create's stored answer (outbox_done), here, just before sending.
 */

/** Ready to send with its params filled, or settled without sending (the outcome to record instead). */
export type Resolved = { kind: 'ready'; entry: OutboxEntry } | { kind: 'not-ready'; outcome: SendOutcome }

/** Fills `params` from earlier answers; `answerOf(key)` is the (opened) stored answer, undefined when there is none. */
export async function withDependentParams(entry: OutboxEntry, answerOf: (key: string) => Promise<unknown>): Promise<Resolved> {
  const payload = (entry.payload ?? {}) as ChangePayload
  const from = payload.paramsFrom
  if (!from || Object.keys(from).length === 0) return { kind: 'ready', entry }
  const params: Record<string, string | number> = { ...payload.params }
  for (const [name, src] of Object.entries(from)) {
    const answer = await answerOf(src.key)
    if (answer === undefined) {
      // In order, the named change has been sent by now (or, parked, holds this one back): it was never queued
      // (its enqueue failed). Park this one where the agent sees sync problems, rather than block the queue.
      return {
        kind: 'not-ready',
        outcome: { kind: 'reject', error: { message_zh: '此前的登记不在同步队列中，此项更新无法发送', message_en: `the earlier change ${src.key} was never queued: this update cannot be sent` } }
      }
    }
    if (typeof answer === 'object' && answer !== null && (answer as { discarded?: unknown }).discarded === true) {
      // The agent gave the create up (sync problems): the record will not exist, so neither will its changes.
      return { kind: 'not-ready', outcome: { kind: 'ok', response: { skipped: `${src.key} was discarded` } } }
    }
    const value = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[src.field] : undefined
    if (typeof value !== 'string' && typeof value !== 'number') {
      return {
        kind: 'not-ready',
        outcome: { kind: 'reject', error: { message_zh: '平台对此前登记的答复中没有所需编号，此项更新无法发送', message_en: `the platform's answer to ${src.key} has no ${src.field}: this update cannot be sent` } }
      }
    }
    params[name] = value
  }
  return { kind: 'ready', entry: { ...entry, payload: { ...payload, params } } }
}
