import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import type { AppError } from '../../../shared/result'

/** Runs a phone command for a control: `busy` while it is in flight, a failure shown to the agent (Chinese first). */
export function usePhoneAction() {
  const { locale } = useI18n()
  const busy = ref(false)
  const showError = (error: AppError) => ElMessage.error(locale.value === 'en' ? error.messageEn : error.message)
  async function act(fn: () => Promise<{ ok: true } | { ok: false; error: AppError }>): Promise<void> {
    busy.value = true
    try {
      const res = await fn()
      if (!res.ok) showError(res.error)
    } finally {
      busy.value = false
    }
  }
  return { busy, act, showError }
}
