import { z } from 'zod'

/**
 * Training scenarios for the sandbox (issue 4 item 8): a simulated citizen calls
 * the agent and speaks prepared lines. Scenarios are data (resources/sandbox/
 * scenarios.json, audio beside it), so trainers add or edit them without code.
 */
export const ScenarioLineSchema = z.strictObject({
  /** An audio file in resources/sandbox/audio/ (Ogg Vorbis or WAV, mono). */
  file: z.string().regex(/^[a-z0-9-]+\.(ogg|wav)$/, '音频文件名只能包含小写字母、数字和连字符 (audio file: a-z, 0-9, -; .ogg or .wav)'),
  /** What the citizen says: the trainer's transcript, and the text the assistant may read. */
  text: z.string().min(1).max(2000),
  /** Pause before this line, after the previous one ended (ms). */
  pauseMs: z.number().int().min(0).max(60_000).default(800)
})

export type ScenarioLine = z.infer<typeof ScenarioLineSchema>

export const ScenarioSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  title: z.string().min(1).max(100),
  titleEn: z.string().min(1).max(200),
  level: z.enum(['basic', 'intermediate', 'advanced']),
  caller: z.strictObject({ number: z.string().regex(/^\d{5,20}$/), name: z.string().max(50) }),
  /** What the trainee should do: shown to the trainer, and used to score the attempt. */
  goals: z.array(z.string().min(1).max(200)).min(1),
  expected: z.strictObject({ category: z.array(z.string()).min(1).max(3), department: z.string().min(1) }),
  lines: z.array(ScenarioLineSchema).min(1).max(50)
})
export type Scenario = z.infer<typeof ScenarioSchema>

/**
 * The citizen who picks up when the agent dials out in the sandbox (a 回访
 * callback, or any number): it rings for a while, answers and speaks its lines,
 * so callbacks are practised with a real call and real audio too.
 */
export const CalleeSchema = z.strictObject({
  /** How long the phone rings before the citizen picks up (ms). */
  answerAfterMs: z.number().int().min(0).max(30_000).default(2000),
  lines: z.array(ScenarioLineSchema).min(1).max(20)
})
export type Callee = z.infer<typeof CalleeSchema>

export const ScenarioFileSchema = z
  .strictObject({ version: z.literal(1), scenarios: z.array(ScenarioSchema).min(1), callee: CalleeSchema.optional() })
  .superRefine((f, ctx) => {
    const seen = new Set<string>()
    for (const [i, s] of f.scenarios.entries()) {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'id'], message: `场景编号重复：${s.id} (duplicate scenario id)` })
      seen.add(s.id)
    }
  })
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>
