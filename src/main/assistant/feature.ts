import type { Feature, FeatureContext } from '../features/feature'
import type { assistantServices, Inspection, Suggestion } from '../../shared/ipc/services/assistant'
import { detectAlerts, checkDraft, findDuplicates, inspectCall, qualityRates, type QualityReport } from '../../shared/assistant'
import { isOverride, makeOverrideRecord, recentAccuracy, type OverrideRecord, type Prediction } from '../../shared/dispatch'
import type { DomainEvents } from '../features/bus'
import { DomainError, type SessionUser } from '../ipc/dispatcher'
import { AssistantModel, DAY_MS, type Reference } from './model-service'
import type { InspectionRow } from './db-operations'

const HOUR_MS = 3_600_000
/** Roles that see every agent's inspections (an agent sees their own). */
const SEES_ALL_INSPECTIONS = new Set(['qa', 'team_lead', 'admin'])
const MAY_RETRAIN = new Set(['team_lead', 'admin'])

function emptySuggestion(ms = 0): Suggestion {
  return { ready: false, category: null, department: null, explanation: { words: [], similarTickets: [], dutyClauses: [] }, modelMs: ms }
}

/** The model's labels (level-3 ids, department ids) with the names and paths the agent reads. */
export function presentPrediction(p: Prediction, ref: Reference | null, ms: number): Suggestion {
  const catName = (id: string): string => ref?.paths.get(id)?.names.join(' / ') ?? id
  const depName = (id: string): string => ref?.departments.find((d) => d.id === id)?.name ?? id
  return {
    ready: true,
    category: {
      top3: p.top3.map((r) => {
        const path = ref?.paths.get(r.label)
        return { id: r.label, name: catName(r.label), confidence: r.confidence, ...(path ? { path: path.ids, pathNames: path.names } : {}) }
      }),
      confidence: p.confidence,
      abstain: p.abstain
    },
    department: p.department
      ? { top3: p.department.top3.map((r) => ({ id: r.label, name: depName(r.label), confidence: r.confidence })), confidence: p.department.confidence, abstain: p.department.abstain }
      : null,
    explanation: {
      words: p.explanation.words,
      similarTickets: p.explanation.similarTickets
        // Category names are the model's own pseudo-examples, not past tickets.
        .filter((s) => !s.id.startsWith('category:'))
        .map((s) => ({ id: s.id, categoryName: catName(s.label), similarity: s.similarity, snippet: s.snippet })),
      dutyClauses: p.explanation.dutyClauses.map((d) => ({ departmentId: d.departmentId, departmentName: depName(d.departmentId), text: d.text, similarity: d.similarity }))
    },
    modelMs: ms
  }
}

function toInspection(r: InspectionRow): Inspection {
  return { ...r, findings: r.findings as Inspection['findings'] }
}

/** Builds the assistant feature's services (see shared/ipc/services/assistant.ts). */
export async function createAssistantFeature(ctx: FeatureContext): Promise<Feature<keyof typeof assistantServices>> {
  const model = new AssistantModel(ctx)
  await model.loadSealed()

  const signedIn = (): boolean => ctx.hub.get('session').user !== null
  const warmUp = (): void => {
    if (!signedIn()) return
    void model.retrainIfStale().catch((err: Error) => ctx.log.warn('assistant: warm-up failed', { error: err.message }))
  }
  const offSession = ctx.hub.onChange((change) => {
    if (change.topic === 'session') warmUp()
  })
  warmUp()
  // Daily retraining: checked hourly, trains when the model is a day old and someone is signed in.
  const daily = setInterval(warmUp, HOUR_MS)
  daily.unref()

  const reference = async (): Promise<Reference> => model.reference ?? (await model.refreshReference())

  async function record(args: { ticketId: string; text: string; agentId: string; at: number; suggested: { category: string | null; department: string | null } | null; chosen: { category: string; department: string | null } }): Promise<boolean> {
    const predicted = await model.predict(args.text).catch(() => null)
    const p = predicted?.prediction
    // What the agent saw: the suggestion as the workbench reports it, else the model's answer now.
    const prediction = {
      top3: [{ label: args.suggested?.category ?? p?.top3[0]?.label ?? '' }],
      confidence: p?.confidence ?? 0,
      abstain: args.suggested ? args.suggested.category === null : (p?.abstain ?? true),
      ...(args.suggested?.department ?? p?.department?.top3[0]?.label ? { department: { top3: [{ label: (args.suggested?.department ?? p?.department?.top3[0]?.label)! }] } } : {})
    }
    const chosen: OverrideRecord['chosen'] = { category: args.chosen.category }
    if (args.chosen.department) chosen.department = args.chosen.department
    const rec = makeOverrideRecord({ ticketId: args.ticketId, at: new Date(args.at).toISOString(), agentId: args.agentId, text: args.text, chosen }, prediction)
    if (model.current.createdAt) rec.modelCreatedAt = model.current.createdAt
    const override = rec.suggested.category !== '' && isOverride(rec)
    await ctx.db.call('assistant.feedback.put', {
      ticketId: rec.ticketId,
      at: args.at,
      agentId: rec.agentId,
      suggestedCategory: rec.suggested.category || null,
      chosenCategory: rec.chosen.category,
      isOverride: override,
      sealed: ctx.cipher.encryptText(JSON.stringify(rec))
    })
    return override
  }

  async function inspect(args: {
    agentId: string
    ticketId: string | null
    callId: string | null
    transcript: { speaker: 'agent' | 'caller'; text: string }[]
    ticket: { category?: string; departmentId?: string; content?: string; callerPhone?: string }
    talkSeconds: number
    holdSeconds: number
    suggestedCategory?: string
  }): Promise<Inspection> {
    const ref = model.reference
    const report: QualityReport = inspectCall(
      args.transcript,
      args.ticket,
      { talkSeconds: args.talkSeconds, holdSeconds: args.holdSeconds },
      {
        categoryDepartments: ref?.categoryDepartments ?? {},
        // Phone numbers are checked by the intake form; here the ticket's substance counts.
        requiredFields: ['category', 'departmentId', 'content']
      },
      args.suggestedCategory
    )
    const row = { ticketId: args.ticketId, callId: args.callId, agentId: args.agentId, at: Date.now(), ...report }
    const id = await ctx.db.call('assistant.inspection.add', row)
    return { id, ...row }
  }

  // ── the bus: a filed ticket and an ended call meet here (in either order) ────────────────────────────────────
  type Submitted = DomainEvents['ticket.submitted']
  type Ended = DomainEvents['call.ended']
  const ticketsAwaitingCall = new Map<string, Submitted>()
  const endedCalls = new Map<string, Ended>()
  const remember = <V>(m: Map<string, V>, k: string, v: V): void => {
    m.set(k, v)
    if (m.size > 200) m.delete(m.keys().next().value!)
  }
  const inspectFiled = (t: Submitted, call: Ended | null): void => {
    const talk = call ? Math.max(0, (call.endedAt - (call.answeredAt ?? call.endedAt)) / 1000) : 0
    const once = async (): Promise<void> => {
      // A ticket announced again (after a crash, or a retry) is inspected once.
      if (await ctx.db.call('assistant.inspection.ofTicket', { ticketId: t.ticketId })) return
      await inspect({
        agentId: t.actor,
        ticketId: t.ticketId,
        callId: t.callId,
        transcript: [],
        ticket: { ...(t.category ? { category: t.category } : {}), ...(t.department ? { departmentId: t.department } : {}), content: t.text },
        talkSeconds: talk,
        holdSeconds: call ? call.holdMs / 1000 : 0,
        ...(t.suggested?.category ? { suggestedCategory: t.suggested.category } : {})
      })
    }
    void once().catch((err: Error) => ctx.log.warn('assistant: inspection failed', { ticketId: t.ticketId, error: err.message }))
  }
  // Delivered: the workbench waits for the feedback row (one per ticket, so announcing again is harmless), logs a
  // failure and announces the ticket again later.
  const offSubmitted = ctx.bus.on('ticket.submitted', async (t) => {
    const call = t.callId ? endedCalls.get(t.callId) : undefined
    if (!t.callId || call) inspectFiled(t, call ?? null)
    else remember(ticketsAwaitingCall, t.callId, t)
    if (t.category) await record({ ticketId: t.ticketId, text: t.text, agentId: t.actor, at: t.at, suggested: t.suggested, chosen: { category: t.category, department: t.department } })
  })
  const offEnded = ctx.bus.on('call.ended', (c) => {
    const t = ticketsAwaitingCall.get(c.callId)
    if (t) {
      ticketsAwaitingCall.delete(c.callId)
      inspectFiled(t, c)
    } else remember(endedCalls, c.callId, c)
  })

  const requireUser = (user: SessionUser | null): SessionUser => {
    if (!user) throw new DomainError('unauthenticated', '请先登录', 'Sign in first')
    return user
  }

  return {
    handlers: {
      assistant: {
        status: () => model.current,

        suggest: async ({ text }) => {
          if (text.trim() === '') return emptySuggestion()
          const r = await model.predict(text)
          if (!r) return emptySuggestion()
          return presentPrediction(r.prediction, model.reference, r.ms)
        },

        alerts: ({ text }) => ({ items: detectAlerts(text) }),

        check: async (draft) => {
          const ref = await reference().catch(() => null)
          if (!ref) throw new DomainError('unavailable', '暂时无法取得分类和区域数据，请稍后重试', 'Categories and areas are not available yet; try again shortly')
          const predicted = draft.content.trim() ? await model.predict(draft.content).catch(() => null) : null
          const top = predicted?.prediction.top3[0]
          const opinion = top
            ? { categoryId: top.label, categoryName: ref.paths.get(top.label)?.names.join(' / ') ?? top.label, confidence: top.confidence, abstain: predicted!.prediction.abstain }
            : null
          return { issues: checkDraft(draft, { ...ref, districts: ref.districts }, opinion) }
        },

        duplicates: async ({ text, callerPhone, withinDays }) => {
          const ref = await reference().catch(() => null)
          const history: { id: string; text: string; createdAt: string; callerPhone?: string; number: string | null; title: string | null }[] = []
          for (const r of ref?.recent ?? []) history.push({ id: String(r.id), text: r.content, createdAt: r.createdAt, number: r.number, title: null })
          const digits = callerPhone.replace(/\D/g, '')
          if (/^1\d{10}$|^0\d{9,11}$/.test(digits)) {
            const h = await ctx.platform.call('getCallerHistory', { params: { phone: digits } }).catch(() => null)
            for (const t of h?.tickets ?? []) {
              const known = history.find((x) => x.id === String(t.id))
              if (known) {
                known.callerPhone = digits
                known.title = t.title
              } else history.push({ id: String(t.id), text: t.title, createdAt: t.createdAt, callerPhone: digits, number: t.number, title: t.title })
            }
          }
          const found = findDuplicates({ text, at: new Date().toISOString(), ...(digits ? { callerPhone: digits } : {}) }, history, { withinDays })
          return {
            items: found.map((d) => {
              const h = history.find((x) => x.id === d.ticketId)!
              return { ...d, number: h.number, title: h.title ?? h.text.slice(0, 30) }
            })
          }
        },

        knowledge: async ({ text, categoryId }) => {
          const q = text.replace(/\s+/g, ' ').trim().slice(0, 100)
          const [hits, templates] = await Promise.all([
            q.length > 0 ? ctx.platform.call('searchKnowledge', { query: { q, limit: 5, ...(categoryId ? { categoryId } : {}) } }).catch(() => ({ items: [] })) : { items: [] },
            ctx.platform.call('listReplyTemplates').catch(() => ({ items: [] }))
          ])
          const fitting = templates.items.filter((t) => (categoryId ? t.categoryId === categoryId || t.categoryId === null : t.categoryId === null))
          return {
            articles: hits.items.map((h) => ({ id: h.id, title: h.title, snippet: h.snippet, version: h.version })),
            templates: fitting.slice(0, 5).map((t) => ({ id: t.id, title: t.title, body: t.body }))
          }
        },

        recordOverride: async (args, call) => {
          const user = requireUser(call.user)
          const override = await record({ ...args, agentId: user.id, at: Date.now() })
          return { override }
        },

        retrain: async (_args, call) => {
          const user = requireUser(call.user)
          if (!user.roles.some((r) => MAY_RETRAIN.has(r))) throw new DomainError('forbidden', '只有班长或管理员可以重新训练模型', 'Only a team lead or an administrator may retrain the model')
          await ctx.audit.record(user.id, 'assistant.retrain', null, null)
          return model.retrain(`on demand by ${user.id}`)
        },

        accuracy: async ({ days }, call) => {
          const user = requireUser(call.user)
          const now = Date.now()
          const records = await model.feedback(now - days * DAY_MS)
          const acc = recentAccuracy(records, new Date(now).toISOString(), days)
          const counts = await ctx.db.call('assistant.feedback.counts', {})
          const ref = model.reference
          return {
            days,
            n: acc.n,
            top1: acc.top1,
            top1WhenConfident: acc.top1WhenConfident,
            abstainRate: acc.abstainRate,
            overrides: acc.overrides,
            overridesTotal: counts.overrides,
            byCategory: Object.entries(acc.byCategory).map(([id, b]) => ({ id, name: ref?.paths.get(id)?.names.join(' / ') ?? id, n: b.n, top1: b.top1 })),
            model: model.current,
            mayRetrain: user.roles.some((r) => MAY_RETRAIN.has(r))
          }
        },

        inspect: async (args, call) => {
          const user = requireUser(call.user)
          await ctx.audit.record(user.id, 'assistant.inspect', args.ticketId, { agentId: args.agentId })
          return inspect({ ...args, callId: null })
        },

        inspections: async ({ limit }, call) => {
          const user = requireUser(call.user)
          const all = user.roles.some((r) => SEES_ALL_INSPECTIONS.has(r))
          const rows = await ctx.db.call('assistant.inspection.list', { agentId: all ? null : user.id, limit })
          await ctx.audit.record(user.id, 'assistant.inspections.view', all ? null : user.id, { n: rows.length })
          const items = rows.map(toInspection)
          return { items, ...qualityRates(items) }
        }
      }
    },
    async stop() {
      clearInterval(daily)
      offSession()
      offSubmitted()
      offEnded()
      await model.stop()
    }
  }
}
