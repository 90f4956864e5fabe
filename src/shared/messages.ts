import { z } from 'zod'
import { PHONE_ERROR_CODES, type PhoneErrorCode } from './phone/errors'

/**
 * Text that main and shared code send to a window is a message key with
 * parameters, never a sentence: the renderer's catalogue (src/renderer/i18n)
 * is the one place the words are written, in zh-CN and English, so the
 * English UI is English and a log line carries the same key the agent saw.
 *
 * Every key is listed here with the names of the parameters its text uses; the
 * compiler then checks each message built in main, and a unit test checks that
 * both catalogues have a text for every key.
 */
/** A phone error (shared/phone/errors.ts) is shown by its code. */
const PHONE_ERROR_KEYS = Object.fromEntries(PHONE_ERROR_CODES.map((code) => [`phoneError.${code}`, []])) as unknown as {
  [C in PhoneErrorCode as `phoneError.${C}`]: readonly []
}

export const MESSAGE_PARAMS = {
  'connectivity.connecting': [],
  'connectivity.roundTrip': ['ms'],
  'connectivity.platformError': [],
  'connectivity.unreachable': ['reason'],
  'connectivity.syncing': [],
  'connectivity.syncRetrying': [],
  'connectivity.syncUnreachable': [],
  'notice.databaseMissing': ['file'],
  'notice.databaseCorrupt': ['copy'],
  'notice.keyBesideData': [],
  'notice.updateAvailable': ['version'],
  'notice.updateDownloaded': ['version'],
  'notice.recordingsUnreadable': [],
  'notice.micRestored': [],
  'notice.scenariosInvalid': ['path', 'problem'],
  'training.ended.timedOut': [],
  'training.ended.byTrainer': [],
  'training.ended.noScenario': ['id'],
  'training.ended.agentNotRegistered': [],
  'training.ended.sipStatus': ['status'],
  'training.ended.failed': ['reason'],
  'assistantPanel.modelStatus.unreadable': ['file'],
  'assistantPanel.modelStatus.trainingFailed': ['reason'],
  ...PHONE_ERROR_KEYS
} as const satisfies Record<string, readonly string[]>

export type MessageKey = keyof typeof MESSAGE_PARAMS
export const MESSAGE_KEYS = Object.keys(MESSAGE_PARAMS) as [MessageKey, ...MessageKey[]]

type ParamsOf<K extends MessageKey> = (typeof MESSAGE_PARAMS)[K][number]
export type MessageParams = Record<string, string | number>

/** A text for the agent: the renderer looks the key up in its catalogue and fills in the parameters. */
export interface UiMessage<K extends MessageKey = MessageKey> {
  key: K
  params?: MessageParams
}

/** Builds a message; the compiler asks for exactly the parameters the key's text uses. */
export function msg<K extends MessageKey>(key: K, ...params: ParamsOf<K> extends never ? [] : [Record<ParamsOf<K>, string | number>]): UiMessage<K> {
  return params[0] ? { key, params: params[0] } : { key }
}

export const UiMessageSchema = z.object({
  key: z.enum(MESSAGE_KEYS),
  params: z.record(z.string(), z.union([z.string().max(1000), z.number()])).optional()
})
