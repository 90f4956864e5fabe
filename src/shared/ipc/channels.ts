/** The two Electron IPC channels. Main checks the sender frame of every message on them. */
export const INVOKE_CHANNEL = 'desk:invoke'
export const EVENT_CHANNEL = 'desk:event'
