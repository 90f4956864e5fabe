import { z } from 'zod'
import type { Role } from '../roles'
import * as agents from './agents'
import { AreaListResponse } from './areas'
import { AuditEntrySchema, ListAuditQuery } from './audit'
import * as callbacks from './callbacks'
import { CallerHistoryResponse, CallerParams } from './caller-history'
import * as calls from './calls'
import { IdParams, OkSchema, pageOf } from './common'
import { DepartmentListResponse, DepartmentParams, DepartmentSchema } from './departments'
import { ListEventsQuery, ListEventsResponse } from './events'
import * as knowledge from './knowledge'
import * as malicious from './malicious'
import { BINARY, defineOperation as op, type BodyIn, type ParamsIn, type QueryIn, type ResponseOut } from './operation-types'
import { RecordingSchema, UploadRecordingQuery } from './recordings'
import { LoginRequest, LoginResponse, MeResponse, VerifyPasswordRequest } from './sessions'
import * as sms from './sms'
import { StatisticsQuery, StatisticsResponse } from './statistics'
import * as t from './tickets'
import { DispatchCorpusItemSchema, DispatchCorpusQuery } from './dispatch-corpus'

/**
 * THE platform API: one row per operation. The reference service's routes, its
 * request validation and role checks, the OpenAPI document at /openapi.json and
 * the desktop's typed client are all generated from this table, so they cannot
 * drift apart. operationIds are stable: rename one only with a new API version.
 */
const ALL: readonly Role[] = ['agent', 'team_lead', 'qa', 'trainer', 'admin']
/** Take calls and file tickets (trainers demonstrate in the sandbox). */
const DESK: readonly Role[] = ['agent', 'team_lead', 'trainer']
/** Read citizen records: the desk plus quality inspection. */
const READERS: readonly Role[] = ['agent', 'team_lead', 'qa', 'trainer']
/** Record a department's step (签收/退回/办理/延期) on its behalf: team leads, and trainers playing the department in the sandbox. */
const ON_BEHALF_OF_DEPARTMENT: readonly Role[] = ['team_lead', 'trainer']
const SUPERVISORS: readonly Role[] = ['team_lead', 'admin']
const KNOWLEDGE_EDITORS: readonly Role[] = ['team_lead', 'trainer', 'admin']

const V1 = '/api/v1'
const TicketPage = pageOf(t.TicketSummarySchema)

export const operations = {
  // ── sessions ────────────────────────────────────────────────────────────
  login: op({ method: 'POST', path: `${V1}/auth/login`, tag: 'sessions', summary: '登录，取得令牌 / sign in, get a bearer token', access: 'public', body: LoginRequest, response: LoginResponse, idempotencyExempt: true }),
  logout: op({ method: 'POST', path: `${V1}/auth/logout`, tag: 'sessions', summary: '退出登录 / sign out', access: 'signed_in', response: OkSchema, idempotencyExempt: true }),
  verifyPassword: op({ method: 'POST', path: `${V1}/auth/verify`, tag: 'sessions', summary: '核对当前用户的密码（屏幕解锁，不新建会话）/ check the signed-in user\'s password (screen unlock; no new session)', access: 'signed_in', body: VerifyPasswordRequest, response: OkSchema, idempotencyExempt: true }),
  getMe: op({ method: 'GET', path: `${V1}/auth/me`, tag: 'sessions', summary: '当前会话 / the current session', access: 'signed_in', response: MeResponse }),

  // ── agents, seats, skill groups, agent state, queues ────────────────────
  listAgents: op({ method: 'GET', path: `${V1}/agents`, tag: 'agents', summary: '坐席人员及状态 / agents and their states', access: ['team_lead', 'qa', 'admin'], response: z.object({ items: z.array(agents.AgentSchema) }) }),
  listSeats: op({ method: 'GET', path: `${V1}/seats`, tag: 'agents', summary: '座席 / seats', access: ALL, response: z.object({ items: z.array(agents.SeatSchema) }) }),
  listSkillGroups: op({ method: 'GET', path: `${V1}/skill-groups`, tag: 'agents', summary: '技能组 / skill groups', access: ALL, response: z.object({ items: z.array(agents.SkillGroupSchema) }) }),
  setMyAgentState: op({ method: 'PUT', path: `${V1}/agents/me/state`, tag: 'agents', summary: '签入/签出/置闲/置忙 / set my agent state', access: DESK, body: agents.SetAgentStateRequest, response: agents.AgentStateRecord }),
  forceAgentState: op({ method: 'PUT', path: `${V1}/agents/{agentId}/state`, tag: 'agents', summary: '班长强制状态 / team lead forces a state', access: ['team_lead'], params: agents.AgentIdParams, body: agents.ForceAgentStateRequest, response: agents.AgentStateRecord, audit: { entity: 'agent', action: 'change' } }),
  listQueues: op({ method: 'GET', path: `${V1}/queues`, tag: 'agents', summary: '队列状态 / queue status', access: ALL, response: z.object({ items: z.array(agents.QueueStatusSchema) }) }),

  // ── calls ───────────────────────────────────────────────────────────────
  createCall: op({ method: 'POST', path: `${V1}/calls`, tag: 'calls', summary: '登记通话 / record a call', access: DESK, body: calls.CreateCallRequest, response: calls.CallSchema, status: 201, audit: { entity: 'call', action: 'change' } }),
  updateCall: op({ method: 'PATCH', path: `${V1}/calls/{id}`, tag: 'calls', summary: '更新通话（接听、结束、满意度）/ update a call', access: DESK, params: IdParams, body: calls.UpdateCallRequest, response: calls.CallSchema, audit: { entity: 'call', action: 'change' } }),
  getCall: op({ method: 'GET', path: `${V1}/calls/{id}`, tag: 'calls', summary: '通话详情 / a call', access: READERS, params: IdParams, response: calls.CallSchema, audit: { entity: 'call', action: 'read' } }),
  listCalls: op({ method: 'GET', path: `${V1}/calls`, tag: 'calls', summary: '通话列表 / calls, newest first', access: [...READERS, 'admin'], query: calls.ListCallsQuery, response: pageOf(calls.CallSchema), audit: { entity: 'call', action: 'read' } }),

  // ── tickets ─────────────────────────────────────────────────────────────
  createTicket: op({ method: 'POST', path: `${V1}/tickets`, tag: 'tickets', summary: '受理工单 / file a ticket', access: DESK, body: t.CreateTicketRequest, response: t.TicketSchema, status: 201, audit: { entity: 'ticket', action: 'change' } }),
  getTicket: op({ method: 'GET', path: `${V1}/tickets/{id}`, tag: 'tickets', summary: '工单详情 / a ticket', access: READERS, params: IdParams, response: t.TicketSchema, audit: { entity: 'ticket', action: 'read' } }),
  listTickets: op({ method: 'GET', path: `${V1}/tickets`, tag: 'tickets', summary: '工单列表，新的在前 / tickets, newest first', access: READERS, query: t.ListTicketsQuery, response: TicketPage, audit: { entity: 'ticket', action: 'read' } }),
  updateTicket: op({ method: 'PATCH', path: `${V1}/tickets/{id}`, tag: 'tickets', summary: '修改工单受理内容 / edit intake fields', access: DESK, params: IdParams, body: t.UpdateTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  submitTicket: op({ method: 'POST', path: `${V1}/tickets/{id}/submit`, tag: 'ticket lifecycle', summary: '提交草稿 / submit a draft', access: DESK, params: IdParams, body: t.SubmitTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  answerTicket: op({ method: 'POST', path: `${V1}/tickets/{id}/answer`, tag: 'ticket lifecycle', summary: '直接答复并办结 / answer directly and close', access: DESK, params: IdParams, body: t.AnswerTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  dispatchTicket: op({ method: 'POST', path: `${V1}/tickets/{id}/dispatch`, tag: 'ticket lifecycle', summary: '交办部门（主办、协办）/ dispatch to departments', access: DESK, params: IdParams, body: t.DispatchTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  signTicket: op({ method: 'POST', path: `${V1}/tickets/{id}/sign`, tag: 'ticket lifecycle', summary: '部门签收 / a department signs for it', access: ON_BEHALF_OF_DEPARTMENT, params: IdParams, body: t.SignTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  returnTicket: op({ method: 'POST', path: `${V1}/tickets/{id}/return`, tag: 'ticket lifecycle', summary: '部门退回 / a department returns it', access: ON_BEHALF_OF_DEPARTMENT, params: IdParams, body: t.ReturnTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  handleTicket: op({ method: 'POST', path: `${V1}/tickets/{id}/handle`, tag: 'ticket lifecycle', summary: '部门办理答复 / a department replies', access: ON_BEHALF_OF_DEPARTMENT, params: IdParams, body: t.HandleTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  extendTicket: op({ method: 'POST', path: `${V1}/tickets/{id}/extend`, tag: 'ticket lifecycle', summary: '延期 / extend a department deadline', access: ON_BEHALF_OF_DEPARTMENT, params: IdParams, body: t.ExtendTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  addCoHandler: op({ method: 'POST', path: `${V1}/tickets/{id}/co-handlers`, tag: 'ticket lifecycle', summary: '增加协办单位 / add a co-handling department', access: DESK, params: IdParams, body: t.AddCoHandlerRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  reviewTicket: op({ method: 'POST', path: `${V1}/tickets/{id}/review`, tag: 'ticket lifecycle', summary: '审核部门答复（通过/重办）/ review the reply', access: ['team_lead'], params: IdParams, body: t.ReviewTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),
  closeTicket: op({ method: 'POST', path: `${V1}/tickets/{id}/close`, tag: 'ticket lifecycle', summary: '办结 / close', access: DESK, params: IdParams, body: t.CloseTicketRequest, response: t.TicketSchema, audit: { entity: 'ticket', action: 'change' } }),

  listDispatchCorpus: op({ method: 'GET', path: `${V1}/dispatch/corpus`, tag: 'tickets', summary: '智能派单训练语料（诉求内容→分类、主办单位）/ dispatch training corpus', access: [...READERS, 'admin'], query: DispatchCorpusQuery, response: pageOf(DispatchCorpusItemSchema), audit: { entity: 'ticket', action: 'read' } }),

  // ── caller history (screen pop) ─────────────────────────────────────────
  getCallerHistory: op({ method: 'GET', path: `${V1}/callers/{phone}/history`, tag: 'callers', summary: '来电号码历史（弹屏）/ caller history by number', access: DESK, params: CallerParams, response: CallerHistoryResponse, audit: { entity: 'caller', action: 'read' } }),

  // ── areas, categories, departments, knowledge ───────────────────────────
  listAreas: op({ method: 'GET', path: `${V1}/areas`, tag: 'reference', summary: '县区与乡镇街道 / districts, towns and streets', access: ALL, response: AreaListResponse }),
  listCategories: op({ method: 'GET', path: `${V1}/categories`, tag: 'reference', summary: '三级归口分类 / the three-level category tree', access: ALL, response: knowledge.CategoryListResponse }),
  listDepartments: op({ method: 'GET', path: `${V1}/departments`, tag: 'reference', summary: '承办单位及职责清单 / departments and duty lists', access: ALL, response: DepartmentListResponse }),
  getDepartment: op({ method: 'GET', path: `${V1}/departments/{departmentId}`, tag: 'reference', summary: '承办单位 / a department', access: ALL, params: DepartmentParams, response: DepartmentSchema }),
  listYellowPages: op({ method: 'GET', path: `${V1}/knowledge/yellow-pages`, tag: 'knowledge', summary: '部门黄页 / department yellow pages', access: ALL, response: knowledge.YellowPageListResponse }),
  listReplyTemplates: op({ method: 'GET', path: `${V1}/knowledge/reply-templates`, tag: 'knowledge', summary: '答复模板 / reply templates', access: ALL, response: knowledge.ReplyTemplateListResponse }),
  searchKnowledge: op({ method: 'GET', path: `${V1}/knowledge/search`, tag: 'knowledge', summary: '知识库全文检索 / full-text knowledge search', access: ALL, query: knowledge.SearchKnowledgeQuery, response: knowledge.SearchKnowledgeResponse }),
  listArticles: op({ method: 'GET', path: `${V1}/knowledge/articles`, tag: 'knowledge', summary: '知识条目（离线索引同步）/ articles for the offline index', access: ALL, query: knowledge.ListArticlesQuery, response: pageOf(knowledge.ArticleSchema) }),
  getArticle: op({ method: 'GET', path: `${V1}/knowledge/articles/{id}`, tag: 'knowledge', summary: '知识条目 / an article', access: ALL, params: IdParams, response: knowledge.ArticleSchema }),
  listArticleVersions: op({ method: 'GET', path: `${V1}/knowledge/articles/{id}/versions`, tag: 'knowledge', summary: '条目历史版本 / versions of an article', access: ALL, params: IdParams, response: z.object({ items: z.array(knowledge.ArticleVersionSchema) }) }),
  createArticle: op({ method: 'POST', path: `${V1}/knowledge/articles`, tag: 'knowledge', summary: '新增知识条目 / add an article', access: KNOWLEDGE_EDITORS, body: knowledge.CreateArticleRequest, response: knowledge.ArticleSchema, status: 201, audit: { entity: 'knowledge', action: 'change' } }),
  updateArticle: op({ method: 'PATCH', path: `${V1}/knowledge/articles/{id}`, tag: 'knowledge', summary: '修订知识条目（新版本）/ revise an article', access: KNOWLEDGE_EDITORS, params: IdParams, body: knowledge.UpdateArticleRequest, response: knowledge.ArticleSchema, audit: { entity: 'knowledge', action: 'change' } }),

  // ── callbacks ───────────────────────────────────────────────────────────
  listCallbacks: op({ method: 'GET', path: `${V1}/callbacks`, tag: 'callbacks', summary: '回访任务，先到期的在前 / callback tasks, earliest due first', access: [...DESK, 'qa'], query: callbacks.ListCallbacksQuery, response: pageOf(callbacks.CallbackTaskSchema), audit: { entity: 'callback', action: 'read' } }),
  recordCallbackResult: op({ method: 'POST', path: `${V1}/callbacks/{id}/result`, tag: 'callbacks', summary: '记录回访结果 / record a callback result', access: DESK, params: IdParams, body: callbacks.RecordCallbackResultRequest, response: callbacks.CallbackTaskSchema, audit: { entity: 'callback', action: 'change' } }),

  // ── SMS ─────────────────────────────────────────────────────────────────
  listSmsTemplates: op({ method: 'GET', path: `${V1}/sms/templates`, tag: 'sms', summary: '短信模板 / SMS templates', access: ALL, response: sms.SmsTemplateListResponse }),
  sendSms: op({ method: 'POST', path: `${V1}/sms/messages`, tag: 'sms', summary: '发送短信 / send an SMS', access: DESK, body: sms.SendSmsRequest, response: sms.SmsMessageSchema, status: 201, audit: { entity: 'sms', action: 'change' } }),
  getSmsMessage: op({ method: 'GET', path: `${V1}/sms/messages/{id}`, tag: 'sms', summary: '短信及送达状态 / an SMS and its delivery status', access: READERS, params: IdParams, response: sms.SmsMessageSchema, audit: { entity: 'sms', action: 'read' } }),
  listSmsMessages: op({ method: 'GET', path: `${V1}/sms/messages`, tag: 'sms', summary: '短信记录 / SMS log', access: READERS, query: sms.ListSmsQuery, response: pageOf(sms.SmsMessageSchema), audit: { entity: 'sms', action: 'read' } }),

  // ── recordings ──────────────────────────────────────────────────────────
  uploadRecording: op({ method: 'POST', path: `${V1}/recordings`, tag: 'recordings', summary: '上传录音（请求体为音频）/ upload a recording (body is the audio)', access: DESK, query: UploadRecordingQuery, body: BINARY, response: RecordingSchema, status: 201, audit: { entity: 'recording', action: 'change' } }),
  getRecording: op({ method: 'GET', path: `${V1}/recordings/{id}`, tag: 'recordings', summary: '录音信息 / recording metadata', access: ['team_lead', 'qa', 'trainer', 'admin'], params: IdParams, response: RecordingSchema, audit: { entity: 'recording', action: 'read' } }),
  downloadRecording: op({ method: 'GET', path: `${V1}/recordings/{id}/audio`, tag: 'recordings', summary: '下载/回放录音（支持 Range）/ download, with Range', access: ['team_lead', 'qa', 'trainer', 'admin'], params: IdParams, response: BINARY, audit: { entity: 'recording', action: 'read' } }),
  deleteRecording: op({ method: 'DELETE', path: `${V1}/recordings/{id}`, tag: 'recordings', summary: '删除录音 / delete a recording', access: ['admin'], params: IdParams, response: OkSchema, audit: { entity: 'recording', action: 'change' } }),

  // ── malicious numbers ───────────────────────────────────────────────────
  listMaliciousNumbers: op({ method: 'GET', path: `${V1}/malicious-numbers`, tag: 'malicious numbers', summary: '恶意号码名单 / the malicious-number list', access: [...DESK, 'admin'], response: z.object({ items: z.array(malicious.MaliciousNumberSchema) }) }),
  addMaliciousNumber: op({ method: 'POST', path: `${V1}/malicious-numbers`, tag: 'malicious numbers', summary: '加入恶意号码 / list a number', access: SUPERVISORS, body: malicious.AddMaliciousNumberRequest, response: malicious.MaliciousNumberSchema, status: 201, audit: { entity: 'malicious', action: 'change' } }),
  removeMaliciousNumber: op({ method: 'DELETE', path: `${V1}/malicious-numbers/{phone}`, tag: 'malicious numbers', summary: '移出恶意号码 / unlist a number', access: SUPERVISORS, params: malicious.MaliciousParams, response: OkSchema, audit: { entity: 'malicious', action: 'change' } }),

  // ── statistics, audit, events ───────────────────────────────────────────
  getStatistics: op({ method: 'GET', path: `${V1}/statistics`, tag: 'statistics', summary: '话务与工单统计 / call and ticket figures', access: ['team_lead', 'qa', 'admin'], query: StatisticsQuery, response: StatisticsResponse }),
  listAuditLog: op({ method: 'GET', path: `${V1}/audit-log`, tag: 'audit', summary: '审计日志，新的在前 / audit log, newest first', access: ['admin'], query: ListAuditQuery, response: pageOf(AuditEntrySchema) }),
  listEvents: op({ method: 'GET', path: `${V1}/events`, tag: 'push', summary: '按版本号补取推送事件 / push events after a revision (resync)', access: 'signed_in', query: ListEventsQuery, response: ListEventsResponse })
}

export type Operations = typeof operations
export type OperationId = keyof Operations
export const OPERATION_IDS = Object.keys(operations) as OperationId[]

/** Typed request and answer of one operation, for the desktop's client. */
export type RequestOf<K extends OperationId> = { params: ParamsIn<Operations[K]>; query: QueryIn<Operations[K]>; body: BodyIn<Operations[K]> }
export type ResponseOf<K extends OperationId> = ResponseOut<Operations[K]>

/** The push WebSocket's path (not an HTTP operation: see events.ts). */
export const PUSH_PATH = `${V1}/push`

/** Fills `{name}` segments of an operation's path. */
export function pathFor(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`missing path parameter ${name}`)
    return encodeURIComponent(String(value))
  })
}
