import type { AgentStateRecord } from '../../shared/api'
import type { Role } from '../../shared/roles'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'
import type { Handlers, WriteScope } from '../http/handler-types'
import { queueStatuses } from './calls'

interface StateRow {
  user_id: string
  state: AgentStateRecord['state']
  reason: AgentStateRecord['reason']
  seat_id: string | null
  since: string
}

function stateOf(db: Db, userId: string, fallbackSeat: string | null): AgentStateRecord {
  const row = db.prepare('SELECT * FROM agent_states WHERE user_id = ?').get(userId) as StateRow | undefined
  if (!row) return { agentId: userId, state: 'signed_out', reason: null, seatId: fallbackSeat, since: '1970-01-01T00:00:00.000Z' }
  return { agentId: row.user_id, state: row.state, reason: row.reason, seatId: row.seat_id, since: row.since }
}

function writeState(scope: WriteScope, userId: string, state: AgentStateRecord['state'], reason: AgentStateRecord['reason'], seatId: string | null): AgentStateRecord {
  const db = scope.ctx.db
  if (seatId && !db.prepare('SELECT 1 FROM seats WHERE id = ?').get(seatId)) throw errors.field('seatId', `座席 ${seatId} 不存在`, `seat ${seatId} does not exist`)
  const before = db.prepare('SELECT state FROM agent_states WHERE user_id = ?').get(userId) as { state: string } | undefined
  // "since" only moves when the state changes, so time-in-state on the wallboard stays right on repeats.
  db.prepare(
    `INSERT INTO agent_states (user_id, state, reason, seat_id, since) VALUES (@userId, @state, @reason, @seatId, @now)
     ON CONFLICT(user_id) DO UPDATE SET reason = @reason, seat_id = @seatId,
       since = CASE WHEN state = @state THEN since ELSE @now END, state = @state`
  ).run({ userId, state, reason: state === 'not_ready' ? reason : null, seatId, now: scope.now })
  const record = stateOf(db, userId, seatId)
  if (before?.state !== state) {
    scope.emit('agent.state', record)
    for (const q of queueStatuses(db, scope.now)) scope.emit('queue.changed', q)
  }
  return record
}

export const agentHandlers = {
  listAgents: ({ ctx }) => {
    const users = ctx.db.prepare('SELECT id, username, display_name, roles, seat_id FROM users WHERE disabled = 0 ORDER BY username').all() as {
      id: string
      username: string
      display_name: string
      roles: string
      seat_id: string | null
    }[]
    const seatGroups = ctx.db.prepare('SELECT skill_group_ids FROM seats WHERE id = ?')
    return {
      items: users.map((u) => {
        const seat = u.seat_id ? (seatGroups.get(u.seat_id) as { skill_group_ids: string } | undefined) : undefined
        return {
          id: u.id,
          username: u.username,
          displayName: u.display_name,
          roles: JSON.parse(u.roles) as Role[],
          seatId: u.seat_id,
          skillGroupIds: seat ? (JSON.parse(seat.skill_group_ids) as string[]) : [],
          state: stateOf(ctx.db, u.id, u.seat_id)
        }
      })
    }
  },
  listSeats: ({ ctx }) => ({
    items: (ctx.db.prepare('SELECT * FROM seats ORDER BY id').all() as { id: string; name: string; extension: string; skill_group_ids: string }[]).map((s) => ({
      id: s.id,
      name: s.name,
      extension: s.extension,
      skillGroupIds: JSON.parse(s.skill_group_ids) as string[]
    }))
  }),
  listSkillGroups: ({ ctx }) => ({
    items: ctx.db.prepare('SELECT id, name, queue, description FROM skill_groups ORDER BY id').all() as { id: string; name: string; queue: string; description: string }[]
  }),
  setMyAgentState: (args) => writeState(args, args.user.id, args.body.state, args.body.reason, args.body.seatId ?? args.user.seatId),
  forceAgentState: (args) => {
    const target = args.ctx.db.prepare('SELECT id, seat_id FROM users WHERE id = ?').get(args.params.agentId) as { id: string; seat_id: string | null } | undefined
    if (!target) throw errors.notFound('坐席人员', 'agent')
    const current = stateOf(args.ctx.db, target.id, target.seat_id)
    return writeState(args, target.id, args.body.state, args.body.reason, current.seatId)
  },
  listQueues: ({ ctx, now }) => ({ items: queueStatuses(ctx.db, now) })
} satisfies Partial<Handlers>
