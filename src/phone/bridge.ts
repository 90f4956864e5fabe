import { createDeskApi, type DeskApi, type DeskTransport } from '../shared/ipc/api'
import { createPreloadTransport, type PreloadDesk } from '../shared/ipc/preload-transport'
import { bridgeUrlFromLocation, createWsTransport } from '../shared/ipc/ws-transport'

declare global {
  interface Window {
    desk?: PreloadDesk
  }
}

/** The phone host's link to main: Electron's phone preload, or the browser host's WebSocket. */
export const transport: DeskTransport = window.desk
  ? createPreloadTransport(window.desk)
  : createWsTransport(bridgeUrlFromLocation(window.location), (url) => new WebSocket(url), (fn, ms) => setTimeout(fn, ms))

export const desk: DeskApi<'phone'> = createDeskApi('phone', transport)
