import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ApiErrorBody } from '../../shared/api'
import { ApiError } from './api-error'

/** Framework errors (body parsing, limits, media types) in the API's own bilingual shape. */
const FRAMEWORK_ERRORS: Record<string, { status: number; error: string; zh: string; en: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'malformed_json', zh: '请求体不是合法的 JSON', en: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'malformed_json', zh: '请求体为空，但声明为 JSON', en: 'the body is empty but declared as JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: 'payload_too_large', zh: '请求体过大', en: 'the body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'unsupported_media_type', zh: '不支持的请求体类型', en: 'unsupported body media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: 'malformed_json', zh: '请求体长度与声明不符', en: 'the body length does not match Content-Length' }
}

export interface PlatformLog {
  /** A bug: the request may be retried. */
  error(err: unknown): void
  /** One line per refused request. */
  refused(line: string): void
}

/**
 * The log line of a refused request: the operation's route (not the URL, whose query may carry a token or a
 * citizen's number), the status, the error and the fields it names. Every value that came from the request is
 * JSON-escaped, so a field name with a newline or a terminal escape cannot forge or colour a line.
 */
export function refusalLine(req: FastifyRequest, status: number, body: Pick<ApiErrorBody, 'error' | 'issues'>): string {
  const route = req.routeOptions.url ?? req.url.split('?')[0]!
  const fields = body.issues?.length ? ` fields=${JSON.stringify(body.issues.map((i) => i.path))}` : ''
  return `refused ${JSON.stringify(req.method)} ${JSON.stringify(route)} ${status} ${body.error}${fields}`
}

export function installErrorHandler(app: FastifyInstance, log: PlatformLog): void {
  const refuse = (req: FastifyRequest, reply: FastifyReply, status: number, body: ApiErrorBody) => {
    log.refused(refusalLine(req, status, body))
    return reply.code(status).send(body)
  }
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) {
      if (err.body.retryAfterSeconds !== undefined) void reply.header('retry-after', String(err.body.retryAfterSeconds))
      return refuse(req, reply, err.status, err.body)
    }
    const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined
    if (known) return refuse(req, reply, known.status, { error: known.error, message_zh: known.zh, message_en: known.en })
    // JSON.parse's SyntaxError reaches here with status 400 from Fastify's parser.
    if (err instanceof SyntaxError || err.statusCode === 400)
      return refuse(req, reply, 400, { error: 'malformed_json', message_zh: '请求体不是合法的 JSON', message_en: 'the body is not valid JSON' })
    if (err.statusCode && err.statusCode < 500) return refuse(req, reply, err.statusCode, { error: 'bad_request', message_zh: '请求无效', message_en: err.message })
    log.error(err)
    return reply.code(500).send({ error: 'internal', message_zh: '平台内部错误，请稍后用同一幂等键重试', message_en: 'internal error; retry with the same Idempotency-Key' })
  })
  app.setNotFoundHandler((req, reply) => refuse(req, reply, 404, { error: 'not_found', message_zh: '没有这个接口', message_en: 'no such endpoint' }))
}
