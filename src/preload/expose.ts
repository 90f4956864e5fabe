import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { methodsFor, type Caller, type DeskEvent } from '../shared/ipc/contract'
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../shared/ipc/channels'
import type { Result } from '../shared/result'

/**
 * Exposes exactly this window's contract methods as `window.desk` — one wrapped
 * function per method, never `ipcRenderer` itself — plus an event subscription.
 */
export function exposeDesk(caller: Caller): void {
  const api: Record<string, Record<string, (args: unknown) => Promise<Result<unknown>>>> = {}
  for (const [service, method] of methodsFor(caller)) {
    api[service] ??= {}
    api[service][method] = (args: unknown) => ipcRenderer.invoke(INVOKE_CHANNEL, service, method, args)
  }
  contextBridge.exposeInMainWorld('desk', {
    api,
    onEvent(listener: (event: DeskEvent) => void): () => void {
      const handler = (_e: IpcRendererEvent, event: DeskEvent) => listener(event)
      ipcRenderer.on(EVENT_CHANNEL, handler)
      return () => ipcRenderer.off(EVENT_CHANNEL, handler)
    }
  })
}
