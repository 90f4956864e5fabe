import { z } from 'zod'

/**
 * Call recordings (R1 通话录音, R10). Upload is the raw audio as the request
 * body (`audio/wav`, `audio/ogg`, `audio/webm`, `audio/mpeg`) with the call id in
 * the query; download honours a single `Range: bytes=a-b` (206).
 */
export const RECORDING_CONTENT_TYPES = ['audio/wav', 'audio/ogg', 'audio/webm', 'audio/mpeg'] as const
export const MAX_RECORDING_BYTES = 64 * 1024 * 1024
export const RecordingSchema = z.object({
  id: z.number().int(),
  callId: z.number().int(),
  contentType: z.enum(RECORDING_CONTENT_TYPES),
  bytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
  createdBy: z.string()
})
export const UploadRecordingQuery = z.strictObject({
  callId: z.coerce.number().int().positive(),
  /**
   * 'consult': the agent's consultation with another seat while the citizen held (attended transfer, three-way),
   * stored under the citizen's call without replacing the call's own recording.
   */
  leg: z.enum(['call', 'consult']).default('call')
})
