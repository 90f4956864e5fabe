import { app } from 'electron'
import electronUpdater from 'electron-updater'
import type { Logger } from '../logging'
import { msg, type UiMessage } from '../../shared/messages'

/**
 * Updates from the intranet server named in config (generic provider). An
 * AppImage replaces itself. A deb is never installed by the app (that would need
 * root): it checks, tells the agent, and leaves installing to the system's
 * package tools or the administrators' rollout.
 */
export function startUpdater(opts: { url: string | undefined; log: Logger; notify: (level: 'info' | 'warning', message: UiMessage) => void }): void {
  if (!opts.url || !app.isPackaged) return
  const { autoUpdater } = electronUpdater
  autoUpdater.setFeedURL({ provider: 'generic', url: opts.url })
  const isAppImage = Boolean(process.env.APPIMAGE)
  autoUpdater.autoDownload = isAppImage
  autoUpdater.autoInstallOnAppQuit = isAppImage
  autoUpdater.logger = { info: (m) => opts.log.info(String(m)), warn: (m) => opts.log.warn(String(m)), error: (m) => opts.log.error(String(m)), debug: () => undefined }
  autoUpdater.on('update-available', (info) => {
    if (!isAppImage) opts.notify('info', msg('notice.updateAvailable', { version: info.version }))
  })
  autoUpdater.on('update-downloaded', (info) => opts.notify('info', msg('notice.updateDownloaded', { version: info.version })))
  autoUpdater.on('error', (err) => opts.log.warn('updater: check failed', { error: err.message }))
  const check = () => void autoUpdater.checkForUpdates().catch((err: Error) => opts.log.warn('updater: check failed', { error: err.message }))
  check()
  setInterval(check, 4 * 60 * 60 * 1000).unref()
}
