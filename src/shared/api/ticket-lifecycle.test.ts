import { describe, expect, it } from 'vitest'
import { canTransition, TICKET_STATUSES, TICKET_TRANSITIONS, targetsOf, type TicketStatus } from './ticket-lifecycle'
import { buildOpenApiDocument } from './openapi'
import { OPERATION_IDS, operations } from './operations'

/** The lifecycle as the issue states it, written out pair by pair: the table must say exactly this. */
const EXPECTED = new Set([
  'draft>submitted',
  'submitted>closed',
  'submitted>dispatched',
  'dispatched>signed',
  'dispatched>returned',
  'signed>returned',
  'signed>handled',
  'handled>reviewed',
  'handled>signed',
  'reviewed>callback',
  'reviewed>closed',
  'callback>closed',
  'callback>dispatched',
  'returned>dispatched',
  'returned>closed'
])

describe('ticket lifecycle', () => {
  it('allows exactly the expected moves over every (from, to) pair', () => {
    for (const from of TICKET_STATUSES)
      for (const to of TICKET_STATUSES) expect([from, to, canTransition(from, to)]).toEqual([from, to, EXPECTED.has(`${from}>${to}`)])
  })
  it('never leaves closed and never returns to draft', () => {
    for (const s of TICKET_STATUSES) {
      expect(canTransition('closed', s)).toBe(false)
      expect(canTransition(s, 'draft')).toBe(false)
    }
  })
  it('maps each action to the transitions that carry it', () => {
    expect(targetsOf('handled', 'review').sort()).toEqual(['reviewed', 'signed'])
    expect(targetsOf('draft', 'dispatch')).toEqual([])
    const everyStatus = new Set<TicketStatus>(TICKET_TRANSITIONS.flatMap((t) => [t.from, t.to]))
    expect([...everyStatus].sort()).toEqual([...TICKET_STATUSES].sort())
  })
})

describe('operation table and OpenAPI', () => {
  it('has the required stable operationIds', () => {
    for (const id of ['login', 'createTicket', 'getTicket', 'updateTicket', 'getCallerHistory', 'searchKnowledge', 'listCallbacks', 'sendSms']) expect(OPERATION_IDS).toContain(id)
  })
  it('has one operation per method and path', () => {
    const keys = Object.values(operations).map((o) => `${o.method} ${o.path}`)
    expect(new Set(keys).size).toBe(keys.length)
  })
  it('generates an OpenAPI 3.1 document with every operationId', () => {
    const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, { operationId: string; parameters?: { name: string }[] }>> }
    expect(doc.openapi).toBe('3.1.0')
    const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId))
    expect(ids.sort()).toEqual([...OPERATION_IDS].sort())
    const create = doc.paths['/api/v1/tickets']!.post!
    expect(JSON.stringify(create)).toContain('#/components/parameters/IdempotencyKey')
  })
})
