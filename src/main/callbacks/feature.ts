import type { Feature, FeatureContext } from '../features/feature'
import { createCallbacksAndSms } from './callbacks-and-sms'

/** Builds the callback (回访) and SMS services (see shared/ipc/services/knowledge.ts, groups callbacks and sms). */
export function createCallbacksFeature(ctx: FeatureContext): Feature<'callbacks' | 'sms'> {
  const { callbacks, sms, stop } = createCallbacksAndSms(ctx)
  return {
    handlers: {
      callbacks: {
        list: (args, call) => callbacks.list(args, call.user!),
        record: (args, call) => callbacks.record(args, call.user!)
      },
      sms: {
        templates: () => sms.templates(),
        send: (args, call) => sms.send(args, call.user!),
        message: (args, call) => sms.message(args, call.user!),
        forTicket: (args, call) => sms.forTicket(args, call.user!)
      }
    },
    stop
  }
}
