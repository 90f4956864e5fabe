import type { Feature, FeatureContext } from '../features/feature'
import type { recordingServices } from '../../shared/ipc/services/recordings'
import { DomainError } from '../ipc/dispatcher'
import { RecordingService, type RecordingServiceOptions } from './recording-service'
import { msg } from '../../shared/messages'

/** Builds the recordings feature's services (see shared/ipc/services/recordings.ts). */
export async function createRecordingsFeature(ctx: FeatureContext, opts: RecordingServiceOptions = {}): Promise<Feature<keyof typeof recordingServices> & { service: RecordingService }> {
  const svc = new RecordingService(ctx, opts)
  try {
    await svc.recover()
  } catch (err) {
    // A broken recordings folder must not keep the phone from starting: say so and go on.
    ctx.log.error('recording: recovery failed', { error: (err as Error).message })
    ctx.notify('warning', msg('notice.recordingsUnreadable'))
  }
  return {
    service: svc,
    handlers: {
      recordings: {
        begin: (args) => svc.begin(args.callId, args.startedAt, args.mimeType, args.linkedTo ?? null),
        chunk: async (args) => {
          const data = Buffer.from(args.data, 'base64')
          if (!data.length) throw new DomainError('bad_request', '录音数据为空', 'empty recording chunk')
          await svc.chunk(args.callId, args.seq, data)
          return null
        },
        end: async (args) => {
          await svc.end(args.callId)
          return null
        },
        list: (args, call) => svc.list(call.user!, args.limit),
        audio: async (args, call) => {
          const a = await svc.audio(call.user!, args.id, args.offset, args.length)
          return { contentType: a.contentType, data: a.data.toString('base64'), offset: a.offset, bytes: a.data.length, total: a.total, durationMs: a.durationMs }
        },
        remove: async (args, call) => {
          await svc.remove(call.user!, args.id)
          return null
        },
        settings: () => ({ enabled: ctx.config.recording.enabled, retentionDays: ctx.config.recording.retentionDays })
      }
    },
    stop() {
      svc.stop()
    }
  }
}
