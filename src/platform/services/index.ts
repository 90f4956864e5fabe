import type { Handlers } from '../http/handler-types'
import { agentHandlers } from './agents'
import { auditAndEventHandlers } from './audit-and-events'
import { callbackHandlers } from './callback-tasks'
import { callerHistoryHandlers } from './caller-history'
import { callHandlers } from './calls'
import { knowledgeHandlers } from './knowledge'
import { maliciousHandlers } from './malicious-numbers'
import { recordingHandlers } from './recordings'
import { referenceHandlers } from './reference-data'
import { sessionHandlers } from './sessions'
import { smsHandlers } from './sms'
import { statisticsHandlers } from './statistics'
import { ticketHandlers } from './tickets'
import { dispatchCorpusHandlers } from './dispatch-corpus'

/** Every operation of the table has exactly one handler: a missing one is a compile error here. */
export const handlers: Handlers = {
  ...sessionHandlers,
  ...agentHandlers,
  ...callHandlers,
  ...ticketHandlers,
  ...callerHistoryHandlers,
  ...referenceHandlers,
  ...knowledgeHandlers,
  ...callbackHandlers,
  ...smsHandlers,
  ...recordingHandlers,
  ...maliciousHandlers,
  ...statisticsHandlers,
  ...auditAndEventHandlers,
  ...dispatchCorpusHandlers
}
