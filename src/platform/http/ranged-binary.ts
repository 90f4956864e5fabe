import type { FastifyReply, FastifyRequest } from 'fastify'
import { errors } from './api-error'
import type { BinaryAnswer } from './handler-types'

/** Answers raw bytes, honouring one `Range: bytes=a-b` (also `a-` and `-n`) for seeking in playback. */
export function sendBinary(req: FastifyRequest, reply: FastifyReply, answer: BinaryAnswer) {
  const total = answer.data.length
  const buf = Buffer.from(answer.data.buffer, answer.data.byteOffset, answer.data.byteLength)
  void reply.header('accept-ranges', 'bytes').header('content-type', answer.contentType)
  const range = req.headers.range
  if (!range) return reply.code(200).send(buf)
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim())
  if (!m || (m[1] === '' && m[2] === '')) throw errors.rangeNotSatisfiable()
  let start: number
  let end: number
  if (m[1] === '') {
    const suffix = Number(m[2])
    start = Math.max(0, total - suffix)
    end = total - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? total - 1 : Math.min(Number(m[2]), total - 1)
  }
  if (start >= total || start > end) {
    void reply.header('content-range', `bytes */${total}`)
    throw errors.rangeNotSatisfiable()
  }
  return reply
    .code(206)
    .header('content-range', `bytes ${start}-${end}/${total}`)
    .send(buf.subarray(start, end + 1))
}
