import { ref } from 'vue'

/** Main's idle-lock state as this window last heard it (null: not asked yet). Citizen data loads only when false. */
export const screenLocked = ref<boolean | null>(null)
