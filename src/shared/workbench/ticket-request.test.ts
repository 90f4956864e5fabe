import { describe, expect, it } from 'vitest'
import { draftToTicketRequest } from './ticket-request'
import { overdueMark } from './deadline'
import { DraftFieldsSchema } from './draft'

const base = DraftFieldsSchema.parse({
  callerNumber: '139 0775 1234',
  ticketType: 'consult',
  categoryPath: ['01', '01.01', '01.01.01'],
  areaPath: ['玉州区', '名山街道'],
  content: '咨询 𪚥 医保报销流程',
  handling: 'direct_answer',
  reply: '已按口径答复'
})

describe('draftToTicketRequest', () => {
  it('files a direct answer with the number cleaned and a title from the content', () => {
    const r = draftToTicketRequest(base, 0)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.body.citizen.phone).toBe('13907751234')
    expect(r.body.reply).toBe('已按口径答复')
    expect(r.body.dispatch).toBeNull()
    expect(r.body.title).toBe('咨询 𪚥 医保报销流程')
  })

  it('dispatches to a lead and co-handlers with the deadline set by urgency', () => {
    const r = draftToTicketRequest({ ...base, handling: 'dispatch', urgency: 'critical', leadDepartment: 'a', coDepartments: ['b', 'c'] }, 0)
    expect(r.ok && r.body.dispatch).toEqual({
      departments: [
        { departmentId: 'a', role: 'lead' },
        { departmentId: 'b', role: 'co' },
        { departmentId: 'c', role: 'co' }
      ],
      deadline: new Date(24 * 3600_000).toISOString(),
      note: ''
    })
  })

  it('names each field that stops it', () => {
    const r = draftToTicketRequest({ ...base, handling: 'dispatch', leadDepartment: 'a', coDepartments: ['a'], callerNumber: 'abc' }, 0)
    expect(r.ok ? [] : r.issues.map((i) => i.field)).toEqual(['callerNumber', 'coDepartments'])
  })
})

describe('overdueMark', () => {
  it('is red past the deadline, yellow within a day, nothing when closed', () => {
    const day = 24 * 3600_000
    expect(overdueMark(new Date(day).toISOString(), 'dispatched', 2 * day)).toBe('red')
    expect(overdueMark(new Date(2 * day).toISOString(), 'dispatched', 1.5 * day)).toBe('yellow')
    expect(overdueMark(new Date(5 * day).toISOString(), 'dispatched', day)).toBeNull()
    expect(overdueMark(new Date(day).toISOString(), 'closed', 2 * day)).toBeNull()
  })
})
