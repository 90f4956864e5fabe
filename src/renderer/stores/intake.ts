import { defineStore } from 'pinia'
import { ref } from 'vue'

/**
 * The ticket being taken (工单受理) as the panels around the intake form see it.
 * The workbench's intake form owns these values (and saves them as a draft);
 * the seat assistant reads the citizen's words and applies a suggestion with one
 * click; the knowledge panel cites an article into the reply. Both go through
 * the actions below so the form stays the single place the agent edits.
 */
export const useIntakeStore = defineStore('intake', () => {
  /** The call this intake belongs to (null: a ticket typed without a call). */
  const callId = ref<string | null>(null)
  /** Local draft id while the ticket is being typed. */
  const draftId = ref<string | null>(null)
  /** Caller number as this role may see it (masked where required). */
  const callerDisplay = ref<string>('')
  /** 诉求内容: the citizen's request as typed. */
  const content = ref('')
  /** 诉求类型: category path (three levels) chosen by the agent. */
  const category = ref<string[]>([])
  /** 承办部门: responsible department chosen by the agent. */
  const department = ref<string | null>(null)
  /** 所属区域 and 详细地址. */
  const area = ref<string[]>([])
  const address = ref('')
  /** 答复内容: the reply given to the citizen (direct answer). */
  const reply = ref('')
  /** Knowledge articles cited into the reply, with the version cited. */
  const citations = ref<{ articleId: string; version: number; title: string }[]>([])
  // The rest of the intake form (R2), owned by the workbench's form.
  /** 来电号码 (full number: masking is for display only). */
  const callerNumber = ref('')
  /** 联系人 */
  const contactName = ref('')
  /** 诉求类型: consult/help/complaint/… */
  const ticketType = ref<'consult' | 'help' | 'complaint' | 'report' | 'suggestion' | 'praise' | 'other' | null>(null)
  const urgency = ref<'normal' | 'urgent' | 'critical'>('normal')
  const confidential = ref(false)
  const anonymous = ref(false)
  /** 办理方式: direct answer, send for review, dispatch (with co-handling departments). */
  const handling = ref<'direct_answer' | 'review' | 'dispatch'>('dispatch')
  /** 协办单位 */
  const coDepartments = ref<string[]>([])
  /** 交办意见 */
  const note = ref('')
  /** 短信告知: send the citizen a receipt with the ticket number. */
  const smsReceipt = ref(true)
  /** The earlier ticket this one continues. */
  const relatedTicketId = ref<number | null>(null)

  function applySuggestion(s: { category?: string[]; department?: string }): void {
    if (s.category) category.value = [...s.category]
    if (s.department !== undefined) department.value = s.department
  }

  function citeArticle(a: { articleId: string; version: number; title: string; text: string }): void {
    reply.value = reply.value ? `${reply.value}\n${a.text}` : a.text
    if (!citations.value.some((c) => c.articleId === a.articleId && c.version === a.version)) citations.value.push({ articleId: a.articleId, version: a.version, title: a.title })
  }

  function reset(): void {
    callId.value = null
    draftId.value = null
    callerDisplay.value = ''
    content.value = ''
    category.value = []
    department.value = null
    area.value = []
    address.value = ''
    reply.value = ''
    citations.value = []
    callerNumber.value = ''
    contactName.value = ''
    ticketType.value = null
    urgency.value = 'normal'
    confidential.value = false
    anonymous.value = false
    handling.value = 'dispatch'
    coDepartments.value = []
    note.value = ''
    smsReceipt.value = true
    relatedTicketId.value = null
  }

  return {
    callId,
    draftId,
    callerDisplay,
    content,
    category,
    department,
    area,
    address,
    reply,
    citations,
    callerNumber,
    contactName,
    ticketType,
    urgency,
    confidential,
    anonymous,
    handling,
    coDepartments,
    note,
    smsReceipt,
    relatedTicketId,
    applySuggestion,
    citeArticle,
    reset
  }
})
