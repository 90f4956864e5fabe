import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  citizenVisibility,
  maskAddress,
  maskName,
  maskPhone,
  OPERATION_IDS,
  operations,
  pathFor,
  TicketSchema,
  type CitizenKind,
  type OperationDef,
  type OperationId,
  type Visibility
} from '../shared/api'
import type { Role } from '../shared/roles'
import { client, login, tempDataDir, ticketBody } from '../../tests/platform/support'
import { startPlatform, type RunningPlatform } from './platform'

/**
 * Citizen data in every answer, for every role (R10). Each operation of the table is called by each seeded role
 * over real HTTP against a real platform, with a request made for it (the fixtures below: a compile error when an
 * operation has none), and the citizen's number, name and address in the answer are checked against the masking
 * table in shared/api/masking.ts: in full, masked or absent, and never in full anywhere the role may not see them.
 */
const ROLES: Role[] = ['agent', 'team_lead', 'qa', 'trainer', 'admin']
const USER_OF: Record<Role, string> = { agent: 'agent01', team_lead: 'lead01', qa: 'qa01', trainer: 'trainer01', admin: 'admin01' }
/** Records are filed by another agent, so the 'agent' role reads them as a colleague, not as their filer. */
const FILER = 'agent02'

interface Citizen {
  name: string
  phone: string
  address: string
  confidential: boolean
}
const ORDINARY: Citizen = { name: '韦秀兰', phone: '13812340001', address: '玉州区名山街道民主路88号', confidential: false }
const CONFIDENTIAL: Citizen = { name: '覃保密', phone: '13812340002', address: '玉州区名山街道保密巷9号', confidential: true }
const PLANTED = [ORDINARY, CONFIDENTIAL]
const ALL_KINDS: CitizenKind[] = ['phone', 'name', 'address']

interface Request {
  params?: Record<string, string | number>
  query?: Record<string, string | number>
  body?: unknown
  audio?: Buffer
  /** Another session of the role's user (logout ends the one it is called with). */
  token?: string
}
interface Case {
  request: Request
  /** Which planted citizen's data the answer carries, and which of it. */
  shows: { citizen: Citizen; kinds: CitizenKind[] }[]
  /** Values the request itself carried that the answer repeats by design (the number a history was asked for). */
  echoes?: string[]
  /** The reader files the record in this very request, and so sees a 保密 one as its filer. */
  filedByReader?: true
}
type Fixture = (role: Role, citizen: Citizen) => Promise<Case>

const RAW: Record<CitizenKind, (c: Citizen) => string> = { phone: (c) => c.phone, name: (c) => c.name, address: (c) => c.address }
const MASKED: Record<CitizenKind, (c: Citizen) => string> = { phone: (c) => maskPhone(c.phone), name: (c) => maskName(c.name), address: (c) => maskAddress(c.address) }

describe('citizen data in every answer, by role (real HTTP)', () => {
  const data = tempDataDir()
  let running: RunningPlatform
  let base: string
  const tokens = {} as Record<Role | 'filer', string>
  let seq = 0
  const key = () => `matrix-${process.pid}-${++seq}`
  const api = (token: string) => client(base, token)

  const visibility = (role: Role, citizen: Citizen, kind: CitizenKind, filedByReader = false): Visibility =>
    citizenVisibility([role], kind, !citizen.confidential || role === 'team_lead' || filedByReader)

  /** A ticket for `citizen` filed by FILER, moved on by the team lead through `steps`. */
  async function ticket(citizen: Citizen, steps: ('sign' | 'handle' | 'review')[] = [], extra: Record<string, unknown> = {}) {
    const body = ticketBody(++seq, { citizen: { name: citizen.name, phone: citizen.phone }, address: citizen.address, confidential: citizen.confidential, ...extra })
    let t = (await api(tokens.filer)('POST', '/api/v1/tickets', body, { 'idempotency-key': key() })).body
    for (const step of steps) {
      const stepBody = { sign: { departmentId: 'scjgj' }, handle: { departmentId: 'scjgj', reply: '已约谈经营者，同意退费。' }, review: { approved: true } }[step]
      const res = await api(tokens.team_lead)('POST', `/api/v1/tickets/${t.id}/${step}`, { version: t.version, ...stepBody }, { 'idempotency-key': key() })
      expect([step, res.status]).toEqual([step, 200])
      t = res.body
    }
    return t as { id: number; version: number; status: string }
  }
  const submitted = (c: Citizen) => ticket(c, [], { handlingMode: 'review', dispatch: null })
  async function call(citizen: Citizen) {
    const res = await api(tokens.filer)('POST', '/api/v1/calls', { direction: 'inbound', callerNumber: citizen.phone, dialledNumber: '12345' }, { 'idempotency-key': key() })
    return res.body as { id: number }
  }
  async function recording(citizen: Citizen) {
    const c = await call(citizen)
    const res = await fetch(`${base}/api/v1/recordings?callId=${c.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.filer}`, 'content-type': 'audio/wav', 'idempotency-key': key() },
      body: Buffer.alloc(64, 1)
    })
    return (await res.json()) as { id: number }
  }
  async function callbackTask(citizen: Citizen) {
    const t = await ticket(citizen, ['sign', 'handle', 'review'])
    const row = running.platform.context.db.prepare('SELECT id FROM callback_tasks WHERE ticket_id = ?').get(t.id) as { id: number }
    return { ticket: t, taskId: row.id }
  }
  async function sms(citizen: Citizen) {
    const t = await ticket(citizen)
    const res = await api(tokens.filer)('POST', '/api/v1/sms/messages', { templateId: 'ticket_received', phone: citizen.phone, variables: { number: 'YL1', days: '5' }, ticketId: t.id }, { 'idempotency-key': key() })
    return { ticketId: t.id, id: (res.body as { id: number }).id }
  }

  const none = (request: Request = {}): Case => ({ request, shows: [] })
  const ticketCase = (citizen: Citizen, request: Request): Case => ({ request, shows: [{ citizen, kinds: ALL_KINDS }] })
  const phoneCase = (citizen: Citizen, request: Request): Case => ({ request, shows: [{ citizen, kinds: ['phone'] }] })
  const later = () => new Date(Date.now() + 30 * 86400_000).toISOString()
  let articleSeq = 0
  let maliciousSeq = 0

  const FIXTURES: Record<OperationId, Fixture> = {
    login: async (role) => none({ body: { username: USER_OF[role], password: 'sandbox' } }),
    logout: async (role) => none({ token: await login(base, USER_OF[role]) }),
    verifyPassword: async () => none({ body: { password: 'sandbox' } }),
    getMe: async () => none(),
    listAgents: async () => none(),
    listSeats: async () => none(),
    listSkillGroups: async () => none(),
    setMyAgentState: async () => none({ body: { state: 'ready' } }),
    forceAgentState: async () => none({ params: { agentId: FILER }, body: { state: 'not_ready', reason: 'meeting' } }),
    listQueues: async () => none(),

    createCall: async (_role, c) => phoneCase(c, { body: { direction: 'inbound', callerNumber: c.phone, dialledNumber: '12345' } }),
    updateCall: async (_role, c) => phoneCase(c, { params: { id: (await call(c)).id }, body: { status: 'in_progress' } }),
    getCall: async (_role, c) => phoneCase(c, { params: { id: (await call(c)).id } }),
    listCalls: async (_role, c) => (await call(c), phoneCase(c, { query: { callerNumber: c.phone } })),

    createTicket: async (_role, c) => ({
      ...ticketCase(c, { body: ticketBody(++seq, { citizen: { name: c.name, phone: c.phone }, address: c.address, confidential: c.confidential }) }),
      filedByReader: true
    }),
    getTicket: async (_role, c) => ticketCase(c, { params: { id: (await ticket(c)).id } }),
    listTickets: async () => none({ query: { limit: 20 } }),
    updateTicket: async (_role, c) => {
      const t = await submitted(c)
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version, content: '补充：市民要求尽快处理。' } })
    },
    submitTicket: async (_role, c) => {
      const t = await ticket(c, [], { submit: false })
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version } })
    },
    answerTicket: async (_role, c) => {
      const t = await submitted(c)
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version, reply: '已电话告知办理流程。' } })
    },
    dispatchTicket: async (_role, c) => {
      const t = await submitted(c)
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version, departments: [{ departmentId: 'scjgj', role: 'lead' }], deadline: later() } })
    },
    signTicket: async (_role, c) => {
      const t = await ticket(c)
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version, departmentId: 'scjgj' } })
    },
    returnTicket: async (_role, c) => {
      const t = await ticket(c)
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version, departmentId: 'scjgj', reason: '不属于本单位职责' } })
    },
    handleTicket: async (_role, c) => {
      const t = await ticket(c, ['sign'])
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version, departmentId: 'scjgj', reply: '已处理完毕。' } })
    },
    extendTicket: async (_role, c) => {
      const t = await ticket(c)
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version, departmentId: 'scjgj', newDeadline: later(), reason: '需现场核查' } })
    },
    addCoHandler: async (_role, c) => {
      const t = await ticket(c)
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version, departmentId: 'yzq' } })
    },
    reviewTicket: async (_role, c) => {
      const t = await ticket(c, ['sign', 'handle'])
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version, approved: true } })
    },
    closeTicket: async (_role, c) => {
      const t = await ticket(c, ['sign', 'handle', 'review'])
      return ticketCase(c, { params: { id: t.id }, body: { version: t.version } })
    },
    listDispatchCorpus: async () => none({ query: { limit: 50 } }),
    getCallerHistory: async (_role, c) => (await ticket(c), await call(c), { request: { params: { phone: c.phone } }, shows: [], echoes: [c.phone] }),

    listAreas: async () => none(),
    listCategories: async () => none(),
    listDepartments: async () => none(),
    getDepartment: async () => none({ params: { departmentId: 'scjgj' } }),
    listYellowPages: async () => none(),
    listReplyTemplates: async () => none(),
    searchKnowledge: async () => none({ query: { q: '退费' } }),
    listArticles: async () => none({ query: { limit: 5 } }),
    getArticle: async () => none({ params: { id: 1 } }),
    listArticleVersions: async () => none({ params: { id: 1 } }),
    createArticle: async () => none({ body: { title: `测试条目 ${++articleSeq}`, body: '条目正文，供测试。' } }),
    updateArticle: async () => {
      const created = await api(tokens.team_lead)('POST', '/api/v1/knowledge/articles', { title: `待修订条目 ${++articleSeq}`, body: '原文。' }, { 'idempotency-key': key() })
      return none({ params: { id: created.body.id }, body: { version: created.body.version, body: '修订后的正文。' } })
    },

    listCallbacks: async (_role, c) => (await callbackTask(c), phoneCase(c, { query: { status: 'pending', limit: 200 } })),
    recordCallbackResult: async (_role, c) => {
      const { taskId } = await callbackTask(c)
      return phoneCase(c, { params: { id: taskId }, body: { result: 'reached', satisfaction: 'satisfied' } })
    },

    listSmsTemplates: async () => none(),
    sendSms: async (_role, c) => phoneCase(c, { body: { templateId: 'ticket_received', phone: c.phone, variables: { number: 'YL1', days: '5' } } }),
    getSmsMessage: async (_role, c) => phoneCase(c, { params: { id: (await sms(c)).id } }),
    listSmsMessages: async (_role, c) => phoneCase(c, { query: { ticketId: (await sms(c)).ticketId } }),

    uploadRecording: async (_role, c) => none({ query: { callId: (await call(c)).id }, audio: Buffer.alloc(32, 2) }),
    getRecording: async (_role, c) => none({ params: { id: (await recording(c)).id } }),
    downloadRecording: async (_role, c) => none({ params: { id: (await recording(c)).id } }),
    deleteRecording: async (_role, c) => none({ params: { id: (await recording(c)).id } }),

    listMaliciousNumbers: async () => none(),
    addMaliciousNumber: async () => none({ body: { phone: `1399000${String(++maliciousSeq).padStart(4, '0')}`, reason: '测试拦截' } }),
    removeMaliciousNumber: async () => {
      const phone = `1398000${String(++maliciousSeq).padStart(4, '0')}`
      await api(tokens.team_lead)('POST', '/api/v1/malicious-numbers', { phone, reason: '测试移出' }, { 'idempotency-key': key() })
      return none({ params: { phone } })
    },

    getStatistics: async () => none({ query: { from: new Date(Date.now() - 86400_000).toISOString(), to: new Date().toISOString() } }),
    listAuditLog: async () => none({ query: { limit: 50 } }),
    listEvents: async () => none({ query: { since: 0, limit: 200 } })
  }

  async function send(op: OperationDef, role: Role, request: Request) {
    const url = pathFor(op.path, request.params) + (request.query ? `?${new URLSearchParams(Object.entries(request.query).map(([k, v]) => [k, String(v)]))}` : '')
    const token = request.token ?? tokens[role]
    const headers: Record<string, string> = op.method === 'GET' ? {} : { 'idempotency-key': key() }
    if (request.audio) {
      const res = await fetch(base + url, { method: op.method, headers: { ...headers, authorization: `Bearer ${token}`, 'content-type': 'audio/wav' }, body: new Uint8Array(request.audio) })
      return { status: res.status, text: await res.text(), body: null }
    }
    const res = await client(base, op.access === 'public' ? undefined : token)(op.method, url, request.body, headers)
    return { status: res.status, text: typeof res.body === 'string' ? res.body : JSON.stringify(res.body), body: res.body }
  }

  beforeAll(async () => {
    running = await startPlatform({ port: 0, host: '127.0.0.1', dataDir: data.dir, profile: 'sandbox', seed: 'sandbox', validateResponses: true, logRefused: () => {} })
    base = running.url
    for (const r of ROLES) tokens[r] = await login(base, USER_OF[r])
    tokens.filer = await login(base, FILER)
  })
  afterAll(async () => {
    await running?.close()
    data.remove()
  })

  for (const id of OPERATION_IDS) {
    const op = operations[id] as OperationDef
    // Operations that answer with a ticket run for an ordinary and for a 保密 citizen.
    const citizens = op.response === TicketSchema ? PLANTED : [ORDINARY]
    it(`${id}: every role sees citizen data as the table says`, async () => {
      for (const role of ROLES) {
        const allowed = op.access === 'public' || op.access === 'signed_in' || op.access.includes(role)
        if (!allowed) {
          const refused = await send(op, role, { params: { id: 1, phone: ORDINARY.phone, agentId: FILER, departmentId: 'scjgj' } })
          expect(refused.status, `${id} as ${role}`).toBe(403)
          continue
        }
        for (const citizen of citizens) {
          const c = await FIXTURES[id](role, citizen)
          const res = await send(op, role, c.request)
          const where = `${id} as ${role} (${citizen.confidential ? '保密' : 'ordinary'})`
          expect(res.status, `${where}: ${res.text.slice(0, 300)}`).toBe(op.status ?? 200)
          for (const shown of c.shows)
            for (const kind of shown.kinds) {
              const seen = visibility(role, shown.citizen, kind, c.filedByReader)
              const raw = RAW[kind](shown.citizen)
              const masked = MASKED[kind](shown.citizen)
              expect(res.text.includes(raw), `${where}: the ${kind} in full (${seen})`).toBe(seen === 'full')
              expect(res.text.includes(masked), `${where}: the ${kind} masked (${seen})`).toBe(seen === 'masked')
            }
          if (op.response === TicketSchema) {
            const withheld = ALL_KINDS.some((kind) => visibility(role, citizen, kind, c.filedByReader) !== 'full')
            expect(res.body.citizen.masked, `${where}: citizen.masked`).toBe(withheld)
          }
          // Nowhere in any answer is a planted value in full for a role that may not see it in full.
          for (const p of PLANTED)
            for (const kind of ALL_KINDS) {
              const raw = RAW[kind](p)
              if (visibility(role, p, kind, c.filedByReader && p === citizen) !== 'full' && !c.echoes?.includes(raw))
                expect(res.text.includes(raw), `${where}: ${p.confidential ? '保密' : 'ordinary'} ${kind} in full`).toBe(false)
            }
        }
      }
    })
  }

  it('lets only the filer, team leads and administrators change whether a ticket is 保密', async () => {
    const t = await submitted(CONFIDENTIAL)
    const lift = (token: string, version: number) =>
      api(token)('PATCH', `/api/v1/tickets/${t.id}`, { version, confidential: false }, { 'idempotency-key': key() })
    const refused = await lift(tokens.agent, t.version)
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ error: 'confidentiality_locked' })
    expect(refused.body.message_zh).toContain('保密')
    // Nothing changed: the colleague still sees the number masked.
    const still = await api(tokens.agent)('GET', `/api/v1/tickets/${t.id}`)
    expect([still.body.version, still.body.confidential, still.body.citizen.phone]).toEqual([t.version, true, maskPhone(CONFIDENTIAL.phone)])
    // The same value is not a change; other edits by a colleague go through.
    const edit = await api(tokens.agent)('PATCH', `/api/v1/tickets/${t.id}`, { version: t.version, confidential: true, content: '补充说明。' }, { 'idempotency-key': key() })
    expect(edit.status).toBe(200)
    const byFiler = await lift(tokens.filer, edit.body.version)
    expect([byFiler.status, byFiler.body.confidential, byFiler.body.citizen.phone]).toEqual([200, false, CONFIDENTIAL.phone])
    const relock = await api(tokens.team_lead)('PATCH', `/api/v1/tickets/${t.id}`, { version: byFiler.body.version, confidential: true }, { 'idempotency-key': key() })
    expect([relock.status, relock.body.confidential]).toEqual([200, true])
  })
})
