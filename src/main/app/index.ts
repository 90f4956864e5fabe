import path from 'node:path'
import { app, dialog, type BrowserWindow } from 'electron'
import log from 'electron-log/main'
import { ConfigError, loadConfig, type ResolvedConfig } from '../config/load-config'
import { createCore, type Core } from '../core'
import { logLineText, type Logger } from '../logging'
import { ensurePrivateDir } from '../private-files'
import { wireIpc } from './ipc'
import { registerAppScheme, serveAppScheme } from './protocol'
import { electronKeyring } from './safe-storage'
import { applyAppSecurity } from './security'
import { startUpdater } from './updater'
import { createPhoneWindow, createUiWindow } from './windows'

/**
 * Electron entry: everything here is wiring. The core (createCore) does the work
 * and runs identically in the browser host.
 */
// One escaped line per entry (electron-log would print a string argument raw), in a file only this user can read,
// rotated at 10 MiB (one older file is kept: main.old.log).
const logger: Logger = {
  info: (m, d) => log.info(logLineText(m, d)),
  warn: (m, d) => log.warn(logLineText(m, d)),
  error: (m, d) => log.error(logLineText(m, d))
}
log.transports.file.maxSize = 10 * 1024 * 1024
log.transports.file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' }

function configFile(): string | undefined {
  const i = process.argv.indexOf('--config')
  if (i > 0 && process.argv[i + 1]) return process.argv[i + 1]
  return process.env.HOTLINE_DESK_CONFIG || undefined
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  registerAppScheme()
  let ui: BrowserWindow | null = null
  let phone: BrowserWindow | null = null
  let core: Core | null = null

  app.on('second-instance', () => {
    if (ui) {
      if (ui.isMinimized()) ui.restore()
      ui.focus()
    }
  })

  app.whenReady().then(async () => {
    log.initialize()
    let config: ResolvedConfig
    try {
      config = loadConfig(configFile())
    } catch (err) {
      if (err instanceof ConfigError) {
        dialog.showErrorBox('配置错误 Configuration error', err.message)
        app.exit(2)
        return
      }
      throw err
    }
    // Logs live with the rest of the desk's data, in the profile folder only this user may enter.
    ensurePrivateDir(path.join(config.dataDir, 'logs'))
    ensurePrivateDir(app.getPath('userData'))
    log.transports.file.resolvePathFn = () => path.join(config.dataDir, 'logs', 'main.log')
    applyAppSecurity()
    serveAppScheme(path.join(__dirname, '../renderer'), path.join(process.resourcesPath, 'resources'))
    core = await createCore(config, { kind: 'electron', version: app.getVersion(), log: logger, keyring: electronKeyring() })
    const c = core
    wireIpc(c, () => ({ ui, phone }), logger)

    const openPhone = () => {
      const old = phone
      phone = createPhoneWindow()
      if (old && !old.isDestroyed()) old.destroy()
      phone.webContents.on('render-process-gone', (_e, details) => {
        logger.error('phone host process gone; restarting', { reason: details.reason })
        openPhone()
      })
    }
    openPhone()
    c.supervisor.attach({ restart: openPhone })

    ui = createUiWindow()
    // A crashed UI renderer is reloaded; the call and the draft live in main and the phone host.
    ui.webContents.on('render-process-gone', (_e, details) => {
      logger.error('UI renderer gone; reloading', { reason: details.reason })
      ui?.reload()
    })
    ui.on('closed', () => app.quit())
    startUpdater({ url: config.updater?.url, log: logger, notify: c.notify })
  }).catch((err: Error) => {
    logger.error('start failed', { error: err.stack })
    dialog.showErrorBox('启动失败 Start failed', err.message)
    app.exit(1)
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    phone?.destroy()
    void core?.stop()
  })
}
