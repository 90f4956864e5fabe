import { z } from 'zod'

/**
 * A change the platform would not take, parked in the outbox for the agent:
 * refused content (fix it, then resend) or a stale version (someone else changed
 * the record first: choose, never overwritten silently).
 */
export const SyncProblemSchema = z.object({
  seq: z.number().int(),
  operation: z.string(),
  entityKey: z.string().nullable(),
  kind: z.enum(['rejected', 'conflict']),
  createdAt: z.number(),
  attempts: z.number().int(),
  actor: z.string().nullable(),
  /** The platform's reason, Chinese first. */
  message: z.string(),
  messageEn: z.string(),
  /** Field-level reasons for refused content. */
  fields: z.array(z.object({ path: z.string(), message: z.string(), messageEn: z.string() })),
  /** For a conflict: the version now on the platform. */
  currentVersion: z.number().int().nullable(),
  /** The agent's change as queued (path parameters and body). */
  mine: z.object({ params: z.record(z.string(), z.union([z.string(), z.number()])).optional(), body: z.unknown().optional() }),
  /** For a conflict: the record as it now is on the platform, when it could be read. */
  theirs: z.unknown().nullable()
})
export type SyncProblem = z.infer<typeof SyncProblemSchema>

export const SyncResolutionSchema = z.discriminatedUnion('action', [
  /** Send again as is (e.g. after the platform was fixed). */
  z.strictObject({ seq: z.number().int(), action: z.literal('retry') }),
  /** Keep my change over theirs: resend it against the current version. Only for conflicts. */
  z.strictObject({ seq: z.number().int(), action: z.literal('overwrite') }),
  /** Give up my change; it is kept in the local record of finished changes, not lost. */
  z.strictObject({ seq: z.number().int(), action: z.literal('discard') }),
  /** Send a corrected body (the intake form after the agent fixed the named fields). */
  z.strictObject({ seq: z.number().int(), action: z.literal('replace'), body: z.record(z.string(), z.unknown()) })
])
export type SyncResolution = z.infer<typeof SyncResolutionSchema>
