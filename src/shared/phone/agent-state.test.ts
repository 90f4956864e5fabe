import { describe, expect, it } from 'vitest'
import { acwRemainingMs, AGENT_STATUSES, AGENT_TRANSITIONS, initialAgentState, tickAgent, transitionAgent, type AgentState, type AgentStatus } from './agent-state'
import { IllegalTransitionError } from './state-machine'

const ALLOWED = new Set([
  'signed-out>ready',
  'signed-out>not-ready',
  'ready>not-ready',
  'ready>ringing',
  'ready>in-call',
  'ready>signed-out',
  'not-ready>ready',
  'not-ready>ringing',
  'not-ready>in-call',
  'not-ready>signed-out',
  'ringing>in-call',
  'ringing>ready',
  'ringing>not-ready',
  'in-call>after-call-work',
  'in-call>ready',
  'in-call>not-ready',
  'after-call-work>ready',
  'after-call-work>not-ready',
  'after-call-work>in-call',
  'after-call-work>signed-out'
])

const at = (status: AgentStatus): AgentState => ({ status, since: 0, reason: status === 'not-ready' ? 'break' : null, acwEndsAt: status === 'after-call-work' ? 1000 : null })

describe('agent state machine', () => {
  const pairs = AGENT_STATUSES.flatMap((from) => AGENT_STATUSES.map((to) => [from, to] as [AgentStatus, AgentStatus]))

  it.each(pairs)('%s → %s', (from, to) => {
    const move = () => transitionAgent(at(from), to, { now: 5, reason: 'meal', acwMs: 30_000 })
    if (ALLOWED.has(`${from}>${to}`)) {
      const next = move()
      expect(next.status).toBe(to)
      expect(next.since).toBe(5)
    } else expect(move).toThrow(IllegalTransitionError)
  })

  it('covers all 36 pairs and the table matches', () => {
    expect(pairs).toHaveLength(36)
    expect(new Set(Object.entries(AGENT_TRANSITIONS).flatMap(([f, ts]) => ts.map((t) => `${f}>${t}`)))).toEqual(ALLOWED)
  })

  it('置忙 needs a reason code and keeps it; other states carry none', () => {
    const s = initialAgentState(0)
    expect(() => transitionAgent(s, 'not-ready', { now: 1 })).toThrow(/reason code is required/)
    const busy = transitionAgent(s, 'not-ready', { now: 1, reason: 'training' })
    expect(busy.reason).toBe('training')
    expect(transitionAgent(busy, 'ready', { now: 2 }).reason).toBeNull()
  })

  it('a live call cannot be signed out of', () => {
    expect(() => transitionAgent(at('in-call'), 'signed-out', { now: 1 })).toThrow(IllegalTransitionError)
    expect(() => transitionAgent(at('ringing'), 'signed-out', { now: 1 })).toThrow(IllegalTransitionError)
  })

  it('话后整理 runs on a timer and ends on its own', () => {
    const inCall = transitionAgent(transitionAgent(initialAgentState(0), 'ready', { now: 0 }), 'in-call', { now: 10 })
    expect(() => transitionAgent(inCall, 'after-call-work', { now: 20 })).toThrow(/duration is required/)
    const acw = transitionAgent(inCall, 'after-call-work', { now: 20, acwMs: 30_000 })
    expect(acwRemainingMs(acw, 10_020)).toBe(20_000)
    expect(tickAgent(acw, 10_020)).toBe(acw)
    const after = tickAgent(acw, 30_020)
    expect(after).toMatchObject({ status: 'ready', since: 30_020, acwEndsAt: null })
    expect(tickAgent(acw, 40_000, 'not-ready')).toMatchObject({ status: 'not-ready', reason: 'paperwork' })
    expect(acwRemainingMs(after, 0)).toBeNull()
  })
})
