import fs from 'node:fs'

/**
 * Flags for Debian's Chromium on a closed network: no background traffic, loopback
 * WebRTC allowed (the browser host and every SIP test stay on 127.0.0.1).
 */
export const CHROMIUM_FLAGS = [
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-default-apps',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection'
]

/** Fake capture devices for the sandbox and tests (no headset needed). */
export const FAKE_MEDIA_FLAGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']

export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
  return candidates.find((p): p is string => Boolean(p && fs.existsSync(p))) ?? null
}

/**
 * The command line of the workbench's Chromium app window. Any local user can read
 * it in /proc, so the URL must be a one-time launch URL (BridgeServer.launchUrl),
 * never a page URL with its token.
 */
export function appWindowArgs(opts: { profileDir: string; launchUrl: string; extraArgs?: string[] }): string[] {
  return [`--user-data-dir=${opts.profileDir}`, '--no-first-run', '--disable-background-networking', '--disable-sync', ...(opts.extraArgs ?? []), `--app=${opts.launchUrl}`]
}
