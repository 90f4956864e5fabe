import { app, session, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../shared/security'

/** The app's own pages are served from this origin (see protocol.ts). */
export const APP_ORIGIN = 'app://desk'

export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false
  try {
    return new URL(url).origin === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`)
  } catch {
    return false
  }
}

/**
 * Hardening that applies to every web contents the app ever creates: no new
 * windows, no navigation away from the app, no <webview>, and the microphone
 * (audio only) granted to the app's own pages and nothing else.
 */
export function applyAppSecurity(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })

  const ses = session.defaultSession
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const fromApp = isAppUrl(details.requestingUrl) && isAppUrl(contents.getURL())
    const audioOnly = permission === 'media' && (!('mediaTypes' in details) || (details.mediaTypes ?? []).every((t) => t === 'audio'))
    callback(fromApp && audioOnly)
  })
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permission === 'media' && isAppUrl(requestingOrigin))
  // Belt and braces: the protocol handler sets the CSP too, but any response gets it.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
}
