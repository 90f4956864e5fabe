import { describe, expect, it } from 'vitest'
import { IN_PLACE_ACTIONS, TICKET_TRANSITIONS, operations } from '../../shared/api'
import { TICKET_ACTION_STEPS, ticketActionHandlers } from './ticket-workflow'

describe('the ticket action table', () => {
  it('has one row per action of the lifecycle (callback comes from the callback tasks) and per in-place change but edit', () => {
    const actions = new Set([...TICKET_TRANSITIONS.map((t) => t.action), ...Object.keys(IN_PLACE_ACTIONS)])
    actions.delete('callback') // recording a reached callback makes it
    actions.delete('edit') // updateTicket, beside create and read
    expect(Object.keys(TICKET_ACTION_STEPS).sort()).toEqual([...actions].sort())
  })

  it('builds one handler per row, each for a ticket operation of the API contract', () => {
    const ops = Object.values(TICKET_ACTION_STEPS).map((s) => s.operation)
    expect(new Set(ops).size).toBe(ops.length)
    expect(Object.keys(ticketActionHandlers).sort()).toEqual([...ops].sort())
    for (const op of ops) expect(operations[op].path).toMatch(/^\/api\/v1\/tickets\/\{id\}\//)
  })
})
