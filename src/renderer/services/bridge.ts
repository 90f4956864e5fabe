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

export const transport: DeskTransport = pickTransport()
export const desk: DeskApi<'ui'> = createDeskApi('ui', transport)
