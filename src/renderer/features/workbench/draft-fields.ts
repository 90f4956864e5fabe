import type { DraftFields, DraftFieldsInput } from '../../../shared/workbench/draft'
import type { useIntakeStore } from '../../stores/intake'

type IntakeStore = ReturnType<typeof useIntakeStore>

/** The intake store as a draft (what is saved), and back. The store keeps its own names for the shared fields. */
export function fieldsOf(s: IntakeStore): DraftFieldsInput {
  return {
    callerNumber: s.callerNumber,
    contactName: s.contactName,
    ticketType: s.ticketType,
    categoryPath: [...s.category],
    content: s.content,
    areaPath: [...s.area],
    address: s.address,
    urgency: s.urgency,
    confidential: s.confidential,
    anonymous: s.anonymous,
    handling: s.handling,
    reply: s.reply,
    leadDepartment: s.department,
    coDepartments: [...s.coDepartments],
    note: s.note,
    citations: s.citations.map((c) => ({ ...c })),
    smsReceipt: s.smsReceipt,
    relatedTicketId: s.relatedTicketId
  }
}

export function applyFields(s: IntakeStore, f: DraftFields): void {
  s.callerNumber = f.callerNumber
  s.contactName = f.contactName
  s.ticketType = f.ticketType
  s.category = [...f.categoryPath]
  s.content = f.content
  s.area = [...f.areaPath]
  s.address = f.address
  s.urgency = f.urgency
  s.confidential = f.confidential
  s.anonymous = f.anonymous
  s.handling = f.handling
  s.reply = f.reply
  s.department = f.leadDepartment
  s.coDepartments = [...f.coDepartments]
  s.note = f.note
  s.citations = f.citations.map((c) => ({ ...c }))
  s.smsReceipt = f.smsReceipt
  s.relatedTicketId = f.relatedTicketId
}
