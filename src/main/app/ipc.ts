import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../shared/ipc/channels'
import type { Caller } from '../../shared/ipc/contract'
import type { Core } from '../core'
import type { Logger } from '../logging'
import { isAppUrl } from './security'

/**
 * Wires the core's dispatcher to Electron IPC. Who is calling is decided here
 * from the sender, never from the message: the top frame of the UI window is
 * 'ui', that of the phone window is 'phone', anything else is refused.
 */
export function wireIpc(core: Core, windows: () => { ui: BrowserWindow | null; phone: BrowserWindow | null }, log: Logger): void {
  const callerOf = (event: IpcMainInvokeEvent): Caller | null => {
    const frame = event.senderFrame
    if (!frame || frame !== event.sender.mainFrame || !isAppUrl(frame.url)) return null
    const { ui, phone } = windows()
    if (ui && !ui.isDestroyed() && event.sender === ui.webContents) return 'ui'
    if (phone && !phone.isDestroyed() && event.sender === phone.webContents) return 'phone'
    return null
  }

  ipcMain.handle(INVOKE_CHANNEL, (event, service: unknown, method: unknown, args: unknown) => {
    const caller = callerOf(event)
    if (!caller) {
      log.warn('ipc: message from an unknown sender refused', { url: event.senderFrame?.url })
      return { ok: false, error: { code: 'wrong_caller', message: '来源不明的请求已拒绝', messageEn: 'Unknown sender refused' } }
    }
    return core.dispatcher.handle(caller, service, method, args)
  })

  core.onEvent((audience, event) => {
    const { ui, phone } = windows()
    if ((audience === 'all' || audience === 'ui') && ui && !ui.isDestroyed()) ui.webContents.send(EVENT_CHANNEL, event)
    if ((audience === 'all' || audience === 'phone') && phone && !phone.isDestroyed()) phone.webContents.send(EVENT_CHANNEL, event)
  })
}
