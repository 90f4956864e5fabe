import fs from 'node:fs'
import path from 'node:path'
import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { CONTENT_SECURITY_POLICY } from '../../shared/security'

/** Must run before `app` is ready: `app://` behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }])
}

/**
 * Serves the built UI and phone-host bundles (out/renderer) and resources/ under
 * app://desk/…, refusing any path that escapes those folders. A custom origin
 * (not file://) gives the pages a real origin for CSP and permission checks.
 */
export function serveAppScheme(rendererDir: string, resourcesDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url)
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '')
    const [root, sub] = rel.startsWith('resources/') ? [resourcesDir, rel.slice('resources/'.length)] : [rendererDir, rel]
    const file = path.resolve(root, path.posix.normalize('/' + sub).slice(1))
    if (url.host !== 'desk' || !file.startsWith(root + path.sep) || !fs.existsSync(file)) return new Response('not found', { status: 404 })
    const res = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(res.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(res.body, { status: res.status, headers })
  })
}
