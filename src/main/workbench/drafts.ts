import type { DbClient } from '../db/client'
import type { FieldCipher } from '../crypto/field-cipher'
import type { AuditLog } from '../audit'
import { DomainError, type SessionUser } from '../ipc/dispatcher'
import { DraftFieldsSchema, type Draft, type DraftFields } from '../../shared/workbench/draft'
import { maskPhone, maySeeCitizenContact } from '../../shared/api/masking'

/**
 * The local draft cache (R2): every change of the intake form, sealed with the
 * profile's data key, written with synchronous=FULL before the window is told
 * it is saved. Drafts belong to the account that typed them.
 */
export class DraftStore {
  constructor(
    private readonly db: DbClient,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditLog
  ) {}

  async save(user: SessionUser, a: { id: string; callId: string | null; rev: number; fields: DraftFields }): Promise<{ status: 'saved' | 'stale'; savedAt: number }> {
    const at = Date.now()
    const outcome = await this.db.call('wb.draft.save', { id: a.id, owner: user.username, callId: a.callId, rev: a.rev, sealed: this.cipher.encryptText(JSON.stringify(a.fields)), at })
    if (outcome === 'forbidden') throw new DomainError('forbidden', '这份草稿属于其他话务员', 'This draft belongs to another agent')
    if (outcome === 'closed') throw new DomainError('conflict', '这份草稿已提交或已放弃，请新建工单', 'This draft was already submitted or discarded')
    return { status: outcome, savedAt: at }
  }

  /** An open or closed draft of this user, decrypted; null if there is none. */
  async get(user: SessionUser, id: string): Promise<(Draft & { status: string }) | null> {
    const row = await this.db.call('wb.draft.get', { id })
    if (!row || row.owner !== user.username) return null
    await this.audit.record(user.username, 'draft.view', `draft:${id}`, null)
    return { id: row.id, callId: row.callId, rev: row.rev, fields: this.open(row.sealed), createdAt: row.createdAt, updatedAt: row.updatedAt, status: row.status }
  }

  async list(user: SessionUser, callId?: string): Promise<{ id: string; callId: string | null; updatedAt: number; preview: string; callerDisplay: string }[]> {
    const rows = await this.db.call('wb.draft.list', { owner: user.username, callId, limit: 500 })
    const seesNumber = maySeeCitizenContact(user.roles, { confidential: false, isCreator: true })
    return rows.map((r) => {
      const f = this.open(r.sealed)
      return { id: r.id, callId: r.callId, updatedAt: r.updatedAt, preview: [...f.content].slice(0, 40).join(''), callerDisplay: seesNumber || !f.callerNumber ? f.callerNumber : maskPhone(f.callerNumber) }
    })
  }

  async close(user: SessionUser, id: string, status: 'submitted' | 'discarded', submissionKey: string | null): Promise<boolean> {
    return this.db.call('wb.draft.close', { id, owner: user.username, status, submissionKey, at: Date.now() })
  }

  /** Fields as stored; a draft written by an older build gets today's defaults for fields it lacked. */
  open(sealed: string): DraftFields {
    return DraftFieldsSchema.parse(JSON.parse(this.cipher.decryptText(sealed)))
  }
}
