import crypto from 'node:crypto'
import type { Caller } from '../../shared/ipc/contract'

/** How long a launch URL waits for its browser: Chromium's cold start on a slow desk, with margin. */
export const LAUNCH_TTL_MS = 60_000
const COOKIE = 'desk-session'
const KINDS: Caller[] = ['ui', 'phone']

const secret = () => crypto.randomBytes(24).toString('base64url')

export interface WindowCredential {
  kind: Caller
  /** 'token': the request named a secret path token; 'cookie': the browser sent the window's session cookie on its own. */
  by: 'token' | 'cookie'
}

/**
 * Who may open a browser-host window, and as which kind. The first segment of
 * every URL names the window:
 * - a path token, one per kind: printed on stdout for development and tests and
 *   handed to the phone page through the browser's debugging pipe;
 * - or the window kind itself (`/ui/…`), with a session cookie. A browser started
 *   on a command line (where any local user can read its argv in /proc) gets a
 *   launch URL instead of a token: `/launch/NONCE`, good once and for a minute,
 *   which the host exchanges for a random session in an HttpOnly, SameSite=Strict
 *   cookie scoped to that window's path. The secret the window then uses is on no
 *   command line and in no URL, and the launch URL is worthless once opened.
 */
export function createWindowSessions(now: () => number = Date.now) {
  const tokens = new Map<string, Caller>(KINDS.map((kind) => [secret(), kind]))
  const launches = new Map<string, { kind: Caller; expires: number }>()
  const sessions = new Map<string, Caller>()
  const forget = () => {
    for (const [nonce, l] of launches) if (l.expires <= now()) launches.delete(nonce)
  }

  return {
    tokenOf(kind: Caller): string {
      return [...tokens].find(([, k]) => k === kind)![0]
    },

    /** A fresh one-time launch path for a window of `kind`. */
    issueLaunch(kind: Caller): string {
      forget()
      const nonce = secret()
      launches.set(nonce, { kind, expires: now() + LAUNCH_TTL_MS })
      return `/launch/${nonce}`
    },

    /** Spends a launch nonce (whether or not it is still valid): the window's new session cookie, or null. */
    redeem(nonce: string): { kind: Caller; setCookie: string } | null {
      const launch = launches.get(nonce)
      launches.delete(nonce)
      if (!launch || launch.expires <= now()) return null
      const session = secret()
      sessions.set(session, launch.kind)
      return { kind: launch.kind, setCookie: `${COOKIE}=${session}; Path=/${launch.kind}/; HttpOnly; SameSite=Strict` }
    },

    /** The window a request speaks for, from its first path segment and its Cookie header; null for none. */
    authenticate(segment: string, cookieHeader: string | undefined): WindowCredential | null {
      const byToken = tokens.get(segment)
      if (byToken) return { kind: byToken, by: 'token' }
      const kind = KINDS.find((k) => k === segment)
      if (!kind || !cookieHeader) return null
      const presented = cookieHeader.split(';').map((c) => c.trim().split('='))
      return presented.some(([name, value]) => name === COOKIE && value !== undefined && sessions.get(value) === kind) ? { kind, by: 'cookie' } : null
    }
  }
}

export type WindowSessions = ReturnType<typeof createWindowSessions>
