import { errors } from '../http/api-error'
import type { Handlers } from '../http/handler-types'

interface Row {
  phone: string
  reason: string
  added_by: string
  added_at: string
}
const toEntry = (r: Row) => ({ phone: r.phone, reason: r.reason, addedBy: r.added_by, addedAt: r.added_at })

export const maliciousHandlers = {
  listMaliciousNumbers: ({ ctx }) => ({ items: (ctx.db.prepare('SELECT * FROM malicious_numbers ORDER BY added_at DESC').all() as Row[]).map(toEntry) }),
  addMaliciousNumber: (args) => {
    const { ctx, body, user, now } = args
    // Listing twice updates the reason: the list has one row per number.
    ctx.db
      .prepare('INSERT INTO malicious_numbers (phone, reason, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT(phone) DO UPDATE SET reason = excluded.reason')
      .run(body.phone, body.reason, user.username, now)
    args.emit('malicious.changed', { phone: body.phone, listed: true })
    return toEntry(ctx.db.prepare('SELECT * FROM malicious_numbers WHERE phone = ?').get(body.phone) as Row)
  },
  removeMaliciousNumber: (args) => {
    const info = args.ctx.db.prepare('DELETE FROM malicious_numbers WHERE phone = ?').run(args.params.phone)
    if (info.changes === 0) throw errors.notFound('恶意号码', 'listed number')
    args.emit('malicious.changed', { phone: args.params.phone, listed: false })
    return { ok: true as const }
  }
} satisfies Partial<Handlers>
