/**
 * Learning from agents: every time an agent files a ticket the model's suggestion is recorded with the agent's
 * final choice (an override when they differ). Retraining folds the records in as weighted tickets — the agent's
 * label replaces a historical label for the same ticket — and `recentAccuracy` tells how often the model's
 * first suggestion was kept on recent tickets.
 */

import { z } from 'zod'
import { type DispatchModel, type DutyEntry, type TrainOptions, type TrainingTicket, trainDispatchModel } from './model'

export const OVERRIDE_RECORD_VERSION = 1

export const overrideRecordSchema = z.object({
  version: z.literal(OVERRIDE_RECORD_VERSION),
  ticketId: z.string().min(1),
  /** ISO time the ticket was filed. */
  at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  agentId: z.string().min(1),
  /** The text the suggestion was made from (what the agent typed). */
  text: z.string().min(1),
  suggested: z.object({
    category: z.string(),
    confidence: z.number().min(0).max(1),
    abstained: z.boolean(),
    department: z.string().optional()
  }),
  chosen: z.object({ category: z.string().min(1), department: z.string().optional() }),
  modelCreatedAt: z.string().optional()
})

export type OverrideRecord = z.infer<typeof overrideRecordSchema>

export function isOverride(r: OverrideRecord): boolean {
  return (
    r.suggested.category !== r.chosen.category ||
    (r.chosen.department !== undefined && r.suggested.department !== undefined && r.chosen.department !== r.suggested.department)
  )
}

/** Parses stored records; bad ones come back with their index and reason instead of being dropped silently. */
export function parseOverrideRecords(values: readonly unknown[]): { records: OverrideRecord[]; errors: { index: number; message: string }[] } {
  const records: OverrideRecord[] = []
  const errors: { index: number; message: string }[] = []
  values.forEach((v, index) => {
    const r = overrideRecordSchema.safeParse(v)
    if (r.success) records.push(r.data)
    else errors.push({ index, message: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') })
  })
  return { records, errors }
}

export interface RetrainOptions {
  /** Weight of a ticket whose suggestion the agent overrode. */
  overrideWeight: number
  /** Weight of a ticket whose suggestion the agent confirmed. */
  confirmedWeight: number
}

export const DEFAULT_RETRAIN_OPTIONS: RetrainOptions = { overrideWeight: 3, confirmedWeight: 1 }

/** The training set with the agents' records folded in (exported for inspection and tests). */
export function foldOverrides(
  history: readonly TrainingTicket[],
  records: readonly OverrideRecord[],
  options: Partial<RetrainOptions> = {}
): TrainingTicket[] {
  const o = { ...DEFAULT_RETRAIN_OPTIONS, ...options }
  // The latest record per ticket wins.
  const latest = new Map<string, OverrideRecord>()
  for (const r of records) {
    const prev = latest.get(r.ticketId)
    if (!prev || Date.parse(r.at) >= Date.parse(prev.at)) latest.set(r.ticketId, r)
  }
  const out: TrainingTicket[] = history.filter((t) => !latest.has(t.id)).map((t) => ({ ...t }))
  for (const r of latest.values()) {
    const t: TrainingTicket = {
      id: r.ticketId,
      text: r.text,
      label: r.chosen.category,
      weight: isOverride(r) ? o.overrideWeight : o.confirmedWeight
    }
    if (r.chosen.department !== undefined) t.department = r.chosen.department
    out.push(t)
  }
  return out
}

export function retrainWithOverrides(
  history: readonly TrainingTicket[],
  records: readonly OverrideRecord[],
  duty: readonly DutyEntry[] = [],
  options: Partial<RetrainOptions> = {},
  trainOptions: Partial<TrainOptions> = {}
): DispatchModel {
  return trainDispatchModel(foldOverrides(history, records, options), duty, trainOptions)
}

export interface RecentAccuracy {
  n: number
  /** Share of tickets where the model's first suggestion was the agent's final category. */
  top1: number
  /** The same among tickets where the model did not abstain. */
  top1WhenConfident: number
  /** Share of tickets where the model abstained. */
  abstainRate: number
  overrides: number
  /** Per final category: n and the share kept. */
  byCategory: Record<string, { n: number; top1: number }>
}

/** How the model did on the tickets filed in the last `days` days before `now` (ISO). */
export function recentAccuracy(records: readonly OverrideRecord[], now: string, days = 30): RecentAccuracy {
  const end = Date.parse(now)
  const start = end - days * 86_400_000
  const recent = records.filter((r) => {
    const t = Date.parse(r.at)
    return t >= start && t <= end
  })
  const n = recent.length
  const ok = (r: OverrideRecord): boolean => r.suggested.category === r.chosen.category
  const confident = recent.filter((r) => !r.suggested.abstained)
  const byCategory: Record<string, { n: number; top1: number }> = {}
  for (const r of recent) {
    const b = (byCategory[r.chosen.category] ??= { n: 0, top1: 0 })
    b.n++
    if (ok(r)) b.top1++
  }
  for (const b of Object.values(byCategory)) b.top1 = b.top1 / b.n
  return {
    n,
    top1: n ? recent.filter(ok).length / n : 0,
    top1WhenConfident: confident.length ? confident.filter(ok).length / confident.length : 0,
    abstainRate: n ? (n - confident.length) / n : 0,
    overrides: recent.filter(isOverride).length,
    byCategory
  }
}

/** Builds the record for a filed ticket from the model's prediction and the agent's choice. */
export function makeOverrideRecord(
  args: {
    ticketId: string
    at: string
    agentId: string
    text: string
    chosen: { category: string; department?: string }
  },
  prediction: { top3: { label: string }[]; confidence: number; abstain: boolean; department?: { top3: { label: string }[] } },
  model?: DispatchModel
): OverrideRecord {
  const suggested: OverrideRecord['suggested'] = {
    category: prediction.top3[0]?.label ?? '',
    confidence: prediction.confidence,
    abstained: prediction.abstain
  }
  const dep = prediction.department?.top3[0]?.label
  if (dep !== undefined) suggested.department = dep
  const rec: OverrideRecord = { version: OVERRIDE_RECORD_VERSION, ...args, suggested }
  if (model) rec.modelCreatedAt = model.data.createdAt
  return rec
}
