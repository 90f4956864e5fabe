import type { FastifyError, FastifyInstance } from 'fastify'
import { ApiError } from './api-error'

/** Framework errors (body parsing, limits, media types) in the API's own bilingual shape. */
const FRAMEWORK_ERRORS: Record<string, { status: number; error: string; zh: string; en: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'malformed_json', zh: '请求体不是合法的 JSON', en: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'malformed_json', zh: '请求体为空，但声明为 JSON', en: 'the body is empty but declared as JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: 'payload_too_large', zh: '请求体过大', en: 'the body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'unsupported_media_type', zh: '不支持的请求体类型', en: 'unsupported body media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: 'malformed_json', zh: '请求体长度与声明不符', en: 'the body length does not match Content-Length' }
}

export function installErrorHandler(app: FastifyInstance, log: (err: unknown) => void): void {
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err instanceof ApiError) return reply.code(err.status).send(err.body)
    const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined
    if (known) return reply.code(known.status).send({ error: known.error, message_zh: known.zh, message_en: known.en })
    // JSON.parse's SyntaxError reaches here with status 400 from Fastify's parser.
    if (err instanceof SyntaxError || err.statusCode === 400)
      return reply.code(400).send({ error: 'malformed_json', message_zh: '请求体不是合法的 JSON', message_en: 'the body is not valid JSON' })
    if (err.statusCode && err.statusCode < 500)
      return reply.code(err.statusCode).send({ error: 'bad_request', message_zh: '请求无效', message_en: err.message })
    log(err)
    return reply.code(500).send({ error: 'internal', message_zh: '平台内部错误，请稍后用同一幂等键重试', message_en: 'internal error; retry with the same Idempotency-Key' })
  })
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not_found', message_zh: '没有这个接口', message_en: 'no such endpoint' }))
}
