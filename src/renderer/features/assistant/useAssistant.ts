import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import type { AssistantAlert, CheckIssue, Suggestion } from '../../../shared/ipc/services/assistant'
import type { AppError } from '../../../shared/result'
import { desk } from '../../services/bridge'
import { useIntakeStore } from '../../stores/intake'

/** Wait this long after the last keystroke before asking main (typing stays smooth; one request per pause). */
export const SUGGEST_DEBOUNCE_MS = 250
const MODEL_WAIT_RETRY_MS = 2000

interface Duplicate {
  ticketId: string
  number: string | null
  title: string | null
  reason: 'same-caller' | 'similar-content' | 'same-caller-similar-content'
  similarity: number
  daysAgo: number
}
interface Knowledge {
  articles: { id: number; title: string; snippet: string; version: number }[]
  templates: { id: number; title: string; body: string }[]
}

/**
 * The seat assistant's live side: reads the citizen's words from the intake store as the agent types, and after a
 * short pause asks main for suggestions, alerts, repeat tickets and knowledge in parallel. Per keystroke the work
 * here is a timer reset; answers to an older text are dropped (`seq`). One click applies a suggestion through the
 * intake store, so the form stays the one place the agent edits.
 */
export function useAssistant() {
  const intake = useIntakeStore()
  const suggestion = shallowRef<Suggestion | null>(null)
  const alerts = shallowRef<AssistantAlert[]>([])
  const duplicates = shallowRef<Duplicate[]>([])
  const knowledge = shallowRef<Knowledge>({ articles: [], templates: [] })
  const issues = shallowRef<CheckIssue[] | null>(null)
  const error = ref<AppError | null>(null)
  const busy = ref(false)
  const checking = ref(false)
  /** Names of categories and departments seen in suggestions, to show what the form holds. */
  const names = new Map<string, string>()
  let seq = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  async function refresh(text: string): Promise<void> {
    const mine = ++seq
    if (text.trim() === '') {
      suggestion.value = null
      alerts.value = []
      duplicates.value = []
      knowledge.value = { articles: [], templates: [] }
      return
    }
    busy.value = true
    const [s, a, d] = await Promise.all([
      desk.assistant.suggest({ text }),
      desk.assistant.alerts({ text }),
      desk.assistant.duplicates({ text, callerPhone: intake.callerDisplay.includes('*') ? '' : intake.callerDisplay, withinDays: 30 })
    ])
    if (mine !== seq) return
    busy.value = false
    error.value = [s, a, d].find((r) => !r.ok)?.error ?? null
    if (s.ok && !s.value.ready) {
      // The model is still training (first sign-in): ask again shortly for the same text.
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => void refresh(text), MODEL_WAIT_RETRY_MS)
    }
    if (s.ok) {
      suggestion.value = s.value
      for (const c of s.value.category?.top3 ?? []) {
        if (c.path && c.pathNames) c.path.forEach((id, i) => names.set(id, c.pathNames![i]!))
      }
      for (const dep of s.value.department?.top3 ?? []) names.set(dep.id, dep.name)
    }
    if (a.ok) alerts.value = a.value.items
    if (d.ok) duplicates.value = d.value.items
    const top = s.ok && s.value.category && !s.value.category.abstain ? s.value.category.top3[0]?.id : null
    const k = await desk.assistant.knowledge({ text, categoryId: top ?? null })
    if (mine === seq && k.ok) knowledge.value = k.value
  }

  watch(
    () => intake.content,
    (text) => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => void refresh(text), SUGGEST_DEBOUNCE_MS)
    },
    { immediate: true }
  )
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer)
    seq++
  })

  function applyCategory(path: string[] | undefined, department?: string): void {
    if (!path) return
    intake.applySuggestion(department ? { category: path, department } : { category: path })
  }
  /** A reply template into 答复内容 (after what is there); the agent fills its {placeholders} in the form. */
  function insertTemplate(body: string): void {
    intake.reply = intake.reply.trim() ? `${intake.reply}\n${body}` : body
  }

  function applyDepartment(id: string): void {
    intake.applySuggestion({ department: id })
  }
  /** The top category with the top department, in one click. */
  function applyBest(): void {
    const s = suggestion.value
    const cat = s?.category?.top3[0]
    if (!cat) return
    applyCategory(cat.path, s?.department?.top3[0]?.id)
  }

  async function runCheck(): Promise<void> {
    checking.value = true
    const r = await desk.assistant.check({
      content: intake.content,
      category: [...intake.category],
      department: intake.department,
      area: [...intake.area],
      address: intake.address,
      callerPhone: intake.callerDisplay,
      anonymous: false
    })
    checking.value = false
    if (r.ok) issues.value = r.value.issues
    else error.value = r.error
  }

  const chosen = computed(() => ({
    category: intake.category.map((id) => names.get(id) ?? id).join(' / '),
    department: intake.department ? (names.get(intake.department) ?? intake.department) : ''
  }))

  return { intake, suggestion, alerts, duplicates, knowledge, issues, error, busy, checking, chosen, applyCategory, applyDepartment, applyBest, insertTemplate, runCheck }
}
