import type { DbClient } from './db/client'

/** The local audit trail (R10): who did what to which record, append-only. */
export class AuditLog {
  constructor(private readonly db: DbClient) {}

  async record(actor: string | null, action: string, subject: string | null, detail: Record<string, unknown> | null): Promise<void> {
    await this.db.call('audit.append', { at: Date.now(), actor, action, subject, detail: detail ? JSON.stringify(detail) : null })
  }
}
