import type { ApiErrorBody } from '../../shared/api/errors'
import { OPERATION_IDS, type OperationId } from '../../shared/api/operations'
import type { SyncProblem, SyncResolution } from '../../shared/sync/problems'
import type { FieldCipher } from '../crypto/field-cipher'
import type { DbClient } from '../db/client'
import type { OutboxEntry } from '../db/outbox-operations'
import { DomainError, type SessionUser } from '../ipc/dispatcher'
import type { AuditLog } from '../audit'
import type { ChangePayload } from './change-payload'
import { open, seal } from './sealed-outbox'

export interface SyncProblemsDeps {
  db: DbClient
  cipher: FieldCipher
  audit: AuditLog
  /** Reads the record as it now is on the platform (for a conflict's "theirs"); null when it cannot. */
  readCurrent(entry: OutboxEntry, payload: ChangePayload): Promise<unknown>
  /** The outbox changed: refresh counts and wake the sync worker. */
  changed(): void
}

const SUPERVISORS = new Set(['team_lead', 'admin'])

/**
 * What the agent sees of changes the platform would not take, and what they can
 * do about them. An agent sees their own; a team lead or admin sees every parked
 * change on this desktop (a shared seat after a shift change).
 */
export class SyncProblems {
  constructor(private readonly deps: SyncProblemsDeps) {}

  async list(user: SessionUser): Promise<{ items: SyncProblem[] }> {
    const parked = await this.deps.db.call('outbox.parked', { limit: 500 })
    const visible = parked.filter((e) => this.mayHandle(user, e))
    const items: SyncProblem[] = []
    for (const entry of visible) items.push(await this.describe(entry))
    await this.deps.audit.record(user.username, 'sync.problems_viewed', null, { count: items.length })
    return { items }
  }

  async resolve(user: SessionUser, r: SyncResolution): Promise<null> {
    const entry = await this.deps.db.call('outbox.get', { seq: r.seq })
    if (!entry || entry.status === 'pending') throw new DomainError('bad_request', '该同步问题已处理或不存在', 'No such parked change (already handled?)')
    if (!this.mayHandle(user, entry)) throw new DomainError('forbidden', '只能处理自己提交的变更', 'You may only handle your own changes')
    const payload = open(this.deps.cipher, entry.payload) as ChangePayload
    switch (r.action) {
      case 'retry':
        await this.deps.db.call('outbox.requeue', { seq: r.seq })
        break
      case 'overwrite': {
        if (entry.status !== 'conflict') throw new DomainError('bad_request', '只有版本冲突才能覆盖', 'Only a version conflict can be overwritten')
        const current = this.errorOf(entry).currentVersion
        if (current === undefined) throw new DomainError('bad_request', '平台未给出当前版本，请刷新后重新编辑', 'The platform gave no current version; reload and edit again')
        const body = { ...((payload.body ?? {}) as Record<string, unknown>), version: current }
        await this.deps.db.call('outbox.requeue', { seq: r.seq, payload: seal(this.deps.cipher, { ...payload, body }) })
        break
      }
      case 'replace':
        await this.deps.db.call('outbox.requeue', { seq: r.seq, payload: seal(this.deps.cipher, { ...payload, body: r.body }) })
        break
      case 'discard':
        await this.deps.db.call('outbox.discard', { seq: r.seq, at: Date.now(), note: { by: user.username } })
        break
    }
    await this.deps.audit.record(user.username, `sync.${r.action}`, entry.entityKey, { seq: r.seq, operation: entry.operation })
    this.deps.changed()
    return null
  }

  private mayHandle(user: SessionUser, entry: OutboxEntry): boolean {
    return entry.actor === null || entry.actor === user.username || user.roles.some((role) => SUPERVISORS.has(role))
  }

  private errorOf(entry: OutboxEntry): Partial<ApiErrorBody> {
    const e = open(this.deps.cipher, entry.lastError)
    return typeof e === 'object' && e !== null ? (e as Partial<ApiErrorBody>) : { message_zh: String(e), message_en: String(e) }
  }

  private async describe(entry: OutboxEntry): Promise<SyncProblem> {
    const error = this.errorOf(entry)
    const payload = open(this.deps.cipher, entry.payload) as ChangePayload
    const kind = entry.status === 'conflict' ? 'conflict' : 'rejected'
    let theirs: unknown = null
    if (kind === 'conflict') theirs = await this.deps.readCurrent(entry, payload).catch(() => null)
    return {
      seq: entry.seq,
      operation: OPERATION_IDS.includes(entry.operation as OperationId) ? entry.operation : `unknown:${entry.operation}`,
      entityKey: entry.entityKey,
      kind,
      createdAt: entry.createdAt,
      attempts: entry.attempts,
      actor: entry.actor,
      message: error.message_zh ?? '平台拒绝了此变更',
      messageEn: error.message_en ?? 'The platform refused this change',
      fields: (error.issues ?? []).map((i) => ({ path: i.path, message: i.message_zh, messageEn: i.message_en })),
      currentVersion: error.currentVersion ?? null,
      mine: { params: payload.params, body: payload.body },
      theirs
    }
  }
}
