import { z } from 'zod'
import { ROLE_LABELS } from '../roles'
import { ApiErrorSchema, IDEMPOTENCY_HEADER } from './errors'
import { BINARY, requiresIdempotencyKey, type OperationDef } from './operation-types'
import { operations, PUSH_PATH } from './operations'

/**
 * Generates the OpenAPI 3.1 document from the operation table. JSON Schema
 * 2020-12 is OpenAPI 3.1's own dialect, so zod's converter output is used as is:
 * request schemas in their input form (defaults make fields optional), answers
 * in their output form.
 */
type JsonSchema = Record<string, unknown>

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema
  delete json.$schema
  return json
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return []
  const json = schemaOf(schema, 'input')
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((json.required ?? []) as string[])
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {})
  }))
}

function accessText(op: OperationDef): string {
  if (op.access === 'public') return '无需登录 / no sign-in'
  if (op.access === 'signed_in') return '任何已登录用户 / any signed-in user'
  return op.access.map((r) => `${ROLE_LABELS[r].zh} ${r}`).join('、')
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } })

function operationObject(operationId: string, op: OperationDef): JsonSchema {
  const parameters = [...parametersOf(op.params, 'path'), ...parametersOf(op.query, 'query')]
  if (requiresIdempotencyKey(op)) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' })
  if (op.response === BINARY) parameters.push({ name: 'Range', in: 'header', required: false, schema: { type: 'string', examples: ['bytes=0-65535'] } })
  const okStatus = String(op.status ?? 200)
  const okContent =
    op.response === BINARY
      ? { 'audio/*': { schema: { type: 'string', contentMediaType: 'audio/*' } } }
      : { 'application/json': { schema: schemaOf(op.response, 'output') } }
  const responses: JsonSchema = {
    [okStatus]: { description: 'OK', content: okContent },
    '400': errorResponse('校验失败等 / validation error, malformed JSON, missing Idempotency-Key')
  }
  if (op.response === BINARY) responses['206'] = { description: '部分内容 / partial content', content: okContent }
  if (op.access !== 'public') {
    responses['401'] = errorResponse('未登录 / not signed in')
    responses['403'] = errorResponse('无权限 / role not allowed')
  }
  responses['404'] = errorResponse('不存在 / not found')
  if (op.method !== 'GET') {
    responses['409'] = errorResponse('版本冲突或状态不允许 / stale version or invalid transition')
    responses['413'] = errorResponse('请求体过大 / body too large')
  }
  if (requiresIdempotencyKey(op)) responses['422'] = errorResponse('幂等键已用于其他请求 / idempotency key reused')
  const body =
    op.body === undefined
      ? undefined
      : op.body === BINARY
        ? { required: true, content: { 'audio/*': { schema: { type: 'string', contentMediaType: 'audio/*' } } } }
        : { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } }
  return {
    operationId,
    summary: op.summary,
    description: `允许角色 / roles: ${accessText(op)}${op.audit ? `。写入审计日志 / audited (${op.audit.entity} ${op.audit.action})` : ''}`,
    tags: [op.tag],
    ...(op.access === 'public' ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
    'x-roles': op.access
  }
}

export function buildOpenApiDocument(serverUrl?: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const [operationId, op] of Object.entries(operations) as [string, OperationDef][]) {
    const item = (paths[op.path] ??= {})
    item[op.method.toLowerCase()] = operationObject(operationId, op)
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: '12345 政务服务便民热线平台接口 / 12345 hotline platform API',
      version: '1.0.0',
      description: [
        '玉林市 12345 坐席工作台与热线平台之间的接口（参考实现）。The API between the Yulin 12345 agent desktop and the hotline platform.',
        '',
        `- 认证 / auth: \`Authorization: Bearer <token>\` from login.`,
        `- 幂等 / idempotency: every POST/PUT/PATCH/DELETE except login/logout needs \`Idempotency-Key\`; the same key from the same user returns the stored answer and never creates a second record (also after a restart).`,
        `- 分页 / paging: \`limit\` (1–200) and \`cursor\` from the previous page's \`nextCursor\`; null means the last page.`,
        `- 版本 / versions: tickets and articles carry \`version\`; a write with an old one gets 409 with \`currentVersion\`.`,
        `- 未知字段 / unknown fields: rejected with 400 (never silently dropped).`,
        `- 推送 / push: WebSocket \`${PUSH_PATH}?token=…&since=REV\`; resync over HTTP with listEvents (\`GET /api/v1/events?since=REV\`).`
      ].join('\n')
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      parameters: {
        IdempotencyKey: { name: IDEMPOTENCY_HEADER, in: 'header', required: true, schema: { type: 'string', minLength: 8, maxLength: 200 }, description: '每个变更请求唯一 / unique per change; repeat it on retry' }
      },
      schemas: { ApiError: schemaOf(ApiErrorSchema, 'output') }
    }
  }
}
