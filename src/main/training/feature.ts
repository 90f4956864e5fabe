import { randomUUID } from 'node:crypto'
import scenarioJson from '../../../resources/sandbox/scenarios.json'
import type { Feature, FeatureContext } from '../features/feature'
import type { trainingServices, Attempt, CitizenEventMessage, CalleeEventSchema } from '../../shared/ipc/services/training'
import type { z } from 'zod'
import { maskPhone } from '../../shared/api/masking'
import { ScenarioFileSchema, type Scenario } from '../../shared/sandbox/scenario'
import { sandboxAgentUser } from '../../shared/sandbox/agent-user'
import { scoreAttempt } from '../../shared/training/scoring'
import { DomainError, type SessionUser } from '../ipc/dispatcher'
import type { AttemptRow } from './db-operations'
import { msg } from '../../shared/messages'

/** A simulated call nobody answers or ends is given up after this long. */
const ATTEMPT_GIVE_UP_MS = 15 * 60_000

/**
 * The training sandbox's simulated calls (issue 4 item 8). Main picks the
 * scenario and keeps the attempt; the phone host plays the citizen (its own
 * sip.js user agent on the in-page switch, real WebRTC media) and reports what
 * happened; the ticket the trainee submits for that call is scored against the
 * scenario's expected category and department.
 */
export async function createTrainingFeature(ctx: FeatureContext): Promise<Feature<keyof typeof trainingServices>> {
  const { db, hub, log, config } = ctx
  const parsed = ScenarioFileSchema.safeParse(scenarioJson)
  const scenarios: Scenario[] = parsed.success ? parsed.data.scenarios : []
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    log.error('training scenarios invalid', { path: first?.path.join('.'), message: first?.message })
    ctx.notify('error', msg('notice.scenariosInvalid', { path: first?.path.join('.') ?? '', problem: first?.message ?? '' }))
  }
  const byId = new Map(scenarios.map((s) => [s.id, s]))
  const sandbox = config.profile === 'sandbox'
  let giveUp: ReturnType<typeof setTimeout> | null = null

  /** The practice callback, shown live in the 培训 tab; a new ring starts a new one. */
  const onCalleeEvent = (e: z.infer<typeof CalleeEventSchema>) => {
    if (!sandbox) return
    const cur = hub.get('training').callee
    const number = maskPhone(e.number)
    if (e.type === 'ringing') {
      hub.set('training', { ...hub.get('training'), callee: { number, presented: e.presented, status: 'ringing', lines: [], endedBy: null } })
      return
    }
    if (!cur || cur.number !== number) return
    const next =
      e.type === 'answered'
        ? { ...cur, status: 'talking' as const }
        : e.type === 'line'
          ? { ...cur, lines: [...cur.lines, { index: e.index, text: e.text, at: Date.now() }].slice(-50) }
          : { ...cur, status: 'ended' as const, endedBy: e.by }
    hub.set('training', { ...hub.get('training'), callee: next })
  }

  const setActive = (patch: Partial<NonNullable<ReturnType<typeof hub.get<'training'>>['active']>> | null) => {
    const cur = hub.get('training').active
    hub.set('training', { ...hub.get('training'), active: cur && patch ? { ...cur, ...patch } : null })
  }

  const toAttempt = (r: AttemptRow): Attempt => ({
    id: r.id,
    scenarioId: r.scenario_id,
    title: byId.get(r.scenario_id)?.title ?? r.scenario_id,
    trainee: r.trainee,
    startedAt: r.started_at,
    answeredAt: r.answered_at,
    endedAt: r.ended_at,
    endedBy: r.ended_by,
    linesSpoken: r.lines_spoken,
    ticket: r.ticket_id || r.ticket_category || r.ticket_department ? { id: r.ticket_id, category: r.ticket_category, department: r.ticket_department } : null,
    score: r.score ? (JSON.parse(r.score) as Attempt['score']) : null
  })

  // Department names for the debrief ("应为「市人力资源和社会保障局」", not an id); fetched once.
  let departmentNames: Map<string, string> | null = null
  const departmentName = async (): Promise<(id: string) => string> => {
    if (!departmentNames) {
      try {
        const list = await ctx.platform.call('listDepartments', {})
        departmentNames = new Map(list.items.map((d) => [d.id, d.name]))
      } catch {
        return (id) => id
      }
    }
    return (id) => departmentNames!.get(id) ?? id
  }

  // The ticket carries a category id; the debrief and the scoring read its names (一级/二级/三级).
  let categories: Map<string, { parentId: string | null; name: string }> | null = null
  const categoryPath = async (id: string | null): Promise<string | null> => {
    if (!id) return null
    if (!categories) {
      try {
        const list = await ctx.platform.call('listCategories', {})
        categories = new Map(list.items.map((c) => [c.id, { parentId: c.parentId, name: c.name }]))
      } catch {
        return id
      }
    }
    const names: string[] = []
    for (let cur = categories.get(id), guard = 0; cur && guard < 5; cur = cur.parentId ? categories.get(cur.parentId) : undefined, guard++) names.unshift(cur.name)
    return names.length ? names.join('/') : id
  }

  /** Scores once the call has ended; again if the ticket arrives after the hang-up. */
  async function rescore(id: string): Promise<void> {
    const row = await db.call('training.get', { id })
    if (!row || row.ended_at === null) return
    const scenario = byId.get(row.scenario_id)
    if (!scenario) return
    const score = scoreAttempt(scenario, {
      ringingAt: row.ringing_at,
      answeredAt: row.answered_at,
      endedBy: row.ended_by,
      ticket: row.ticket_id || row.ticket_category ? { category: row.ticket_category, department: row.ticket_department } : null
    }, await departmentName())
    await db.call('training.update', { id, patch: { score: JSON.stringify(score) } })
    const state = hub.get('training')
    hub.set('training', { ...state, scored: state.scored + 1 })
  }

  async function onCitizenEvent(attemptId: string, e: CitizenEventMessage): Promise<void> {
    const row = await db.call('training.get', { id: attemptId })
    if (!row || row.ended_at !== null) return // late or unknown: the attempt is already closed
    const now = Date.now()
    switch (e.type) {
      case 'ringing':
        await db.call('training.update', { id: attemptId, patch: { ringing_at: now, sip_call_id: e.sipCallId } })
        setActive({ status: 'ringing' })
        break
      case 'answered':
        await db.call('training.update', { id: attemptId, patch: { answered_at: now } })
        setActive({ status: 'talking' })
        break
      case 'line': {
        await db.call('training.update', { id: attemptId, patch: { lines_spoken: e.index + 1 } })
        const cur = hub.get('training').active
        if (cur) setActive({ lines: [...cur.lines, { index: e.index, text: e.text, at: now }] })
        break
      }
      case 'finished-speaking':
        break
      case 'ended':
        if (giveUp) clearTimeout(giveUp)
        await db.call('training.update', { id: attemptId, patch: { ended_at: now, ended_by: e.by } })
        setActive({ status: 'ended', endedBy: e.by, detail: e.detail ?? null })
        await rescore(attemptId)
        break
    }
  }

  // The phone tells us the id it gave the call: match it by SIP Call-ID, so the ticket for that call finds its attempt.
  hub.onChange((change) => {
    if (change.topic !== 'phone') return
    const active = hub.get('training').active
    if (!active || active.status === 'ended') return
    void (async () => {
      const row = await db.call('training.get', { id: active.attemptId })
      if (!row?.sip_call_id || row.call_id) return
      const call = hub.get('phone').calls.find((c) => c.sipCallId === row.sip_call_id)
      if (call) await db.call('training.update', { id: row.id, patch: { call_id: call.callId } })
    })().catch((err: unknown) => log.warn('training: matching the call failed', { err: String(err) }))
  })

  // Delivered: the workbench waits for the score, logs a failure and announces the ticket again later.
  const offTicket = ctx.bus.on('ticket.submitted', async (t) => {
    if (!t.callId) return
    const row = await db.call('training.byCall', { callId: t.callId })
    if (!row) return
    await db.call('training.update', { id: row.id, patch: { ticket_id: t.ticketId, ticket_category: await categoryPath(t.category), ticket_department: t.department } })
    await rescore(row.id)
  })

  const requireSandbox = () => {
    if (!sandbox) throw new DomainError('forbidden', '模拟来电仅在培训沙箱中可用', 'Simulated calls exist only in the training sandbox')
  }
  const mayViewAll = (u: SessionUser) => u.roles.some((r) => r === 'trainer' || r === 'team_lead' || r === 'admin')

  return {
    handlers: {
      training: {
        scenarios: () => ({
          available: sandbox && scenarios.length > 0,
          items: scenarios.map((s) => ({ id: s.id, title: s.title, titleEn: s.titleEn, level: s.level, callerName: s.caller.name, goals: s.goals, lines: s.lines.length }))
        }),
        start: async (args, { user }) => {
          requireSandbox()
          const scenario = byId.get(args.scenarioId)
          if (!scenario) throw new DomainError('bad_request', `没有这个培训场景：${args.scenarioId}`, `No such scenario: ${args.scenarioId}`)
          const active = hub.get('training').active
          if (active && active.status !== 'ended') throw new DomainError('conflict', '已有一个模拟来电在进行中，请先结束它', 'A simulated call is already in progress')
          if (hub.get('phoneHost').status !== 'alive') throw new DomainError('unavailable', '话机尚未就绪，稍后再试', 'The phone is not ready yet')
          const id = randomUUID()
          await db.call('training.insert', { id, scenarioId: scenario.id, trainee: user!.username, startedAt: Date.now() })
          hub.set('training', { ...hub.get('training'), active: { attemptId: id, scenarioId: scenario.id, title: scenario.title, status: 'preparing', lines: [], endedBy: null, detail: null } })
          ctx.sendPhoneCommand({ type: 'simulate-call', attemptId: id, scenarioId: scenario.id, agentUser: sandboxAgentUser(user!) })
          if (giveUp) clearTimeout(giveUp)
          giveUp = setTimeout(() => void onCitizenEvent(id, { type: 'ended', by: 'failed', detail: msg('training.ended.timedOut') }), ATTEMPT_GIVE_UP_MS)
          await ctx.audit.record(user!.username, 'training.start', `scenario:${scenario.id}`, { attemptId: id })
          return { attemptId: id }
        },
        stop: async (args) => {
          requireSandbox()
          ctx.sendPhoneCommand({ type: 'end-simulated-call', attemptId: args.attemptId })
          // If the phone host is gone the citizen cannot report: close the attempt here.
          setTimeout(() => void onCitizenEvent(args.attemptId, { type: 'ended', by: 'citizen', detail: msg('training.ended.byTrainer') }), 3000)
          return null
        },
        attempts: async (args, { user }) => {
          const rows = await db.call('training.list', { trainee: mayViewAll(user!) ? null : user!.username, limit: args.limit })
          return { items: rows.map(toAttempt) }
        },
        citizenEvent: async (args) => {
          await onCitizenEvent(args.attemptId, args.event)
          return null
        },
        calleeEvent: async (args) => {
          onCalleeEvent(args.event)
          return null
        }
      }
    },
    stop() {
      offTicket()
      if (giveUp) clearTimeout(giveUp)
    }
  }
}
