import { useI18n } from 'vue-i18n'
import type { UiMessage } from '../../shared/messages'

/**
 * The text of a message main sent (a key and its parameters, shared/messages.ts)
 * in the language the agent chose: the one way a component shows it.
 */
export function useMessageText(): (message: UiMessage) => string {
  const { t } = useI18n()
  return (message) => t(message.key, message.params ?? {})
}
