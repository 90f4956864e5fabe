import path from 'node:path'
import { BrowserWindow } from 'electron'
import { APP_ORIGIN } from './security'

const preloadDir = path.join(__dirname, '../preload')

/** The workbench the agent sees. */
export function createUiWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    show: false,
    title: '玉林12345坐席工作台',
    autoHideMenuBar: true,
    webPreferences: {
      // Spelled out per window (not a helper) so security linters can read them.
      preload: path.join(preloadDir, 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(`${APP_ORIGIN}/renderer/index.html`)
  return win
}

/**
 * The phone host: never shown, never throttled (a background-throttled timer
 * would delay SIP keepalives and ringing), owned and restarted by main.
 */
export function createPhoneWindow(): BrowserWindow {
  const win = new BrowserWindow({
    show: false,
    width: 400,
    height: 300,
    skipTaskbar: true,
    webPreferences: {
      preload: path.join(preloadDir, 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      backgroundThrottling: false,
      autoplayPolicy: 'no-user-gesture-required'
    }
  })
  void win.loadURL(`${APP_ORIGIN}/phone/index.html`)
  return win
}
