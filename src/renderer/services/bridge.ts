import { createDeskApi, type DeskApi, type DeskTransport } from '../../shared/ipc/api'
import { createPreloadTransport } from '../../shared/ipc/preload-transport'
import { bridgeUrlFromLocation, createWsTransport } from '../../shared/ipc/ws-transport'

/**
 * The only code in the renderer that touches the bridge. Under Electron the
 * preload provides `window.desk`; in the browser host the same contract runs
 * over a WebSocket to the host. Components and stores use `desk` below.
 */
function pickTransport(): DeskTransport {
  if (window.desk) return createPreloadTransport(window.desk)
  return createWsTransport(bridgeUrlFromLocation(window.location), (url) => new WebSocket(url), (fn, ms) => setTimeout(fn, ms))
}

const lockListeners = new Set<() => void>()

/** Main refused citizen data because its idle lock holds: the lock screen shows at once instead of at its next check. */
export function onLockedRefusal(listener: () => void): () => void {
  lockListeners.add(listener)
  return () => lockListeners.delete(listener)
}

function noticingLock(t: DeskTransport): DeskTransport {
  return {
    async invoke(service, method, args) {
      const r = await t.invoke(service, method, args)
      if (!r.ok && r.error.code === 'locked') for (const listener of lockListeners) listener()
      return r
    },
    onEvent: (listener) => t.onEvent(listener),
    onReconnect: (listener) => t.onReconnect(listener)
  }
}

export const transport: DeskTransport = noticingLock(pickTransport())
export const desk: DeskApi<'ui'> = createDeskApi('ui', transport)
