import Fastify, { type FastifyInstance } from 'fastify'
import websocket from '@fastify/websocket'
import { buildOpenApiDocument, MAX_RECORDING_BYTES, RECORDING_CONTENT_TYPES } from '../shared/api'
import { AuditLog } from './audit-log'
import { openDatabase, type Db } from './db/open-database'
import { EventLog } from './events/event-log'
import { installErrorHandler } from './http/error-handler'
import type { PlatformContext, Profile } from './http/handler-types'
import { registerOperations } from './http/register-operations'
import { PushSessions } from './http/push-sessions'
import { registerPushSocket } from './http/push-socket'
import { sessionForToken } from './auth'
import { LOGIN_THROTTLE, LoginThrottle, type LoginThrottlePolicies } from './login-throttle'
import { seedSandbox } from './seed/sandbox-seed'
import { handlers } from './services'
import { createSimulatedCarrier, type SmsCarrier } from './services/sms-carrier'

export interface PlatformOptions {
  /** Directory of the SQLite file (created if missing). */
  dataDir: string
  profile: Profile
  /** Load the sandbox's accounts and data on first start (sandbox profile only). */
  seed?: 'sandbox'
  /** Check each answer against the contract (tests). */
  validateResponses?: boolean
  /** Replaces the simulated SMS carrier. */
  smsCarrier?: SmsCarrier
  clock?: () => Date
  /** Sign-in throttling; LOGIN_THROTTLE unless a test needs other numbers. */
  loginThrottle?: LoginThrottlePolicies
  /** Where unexpected errors go; defaults to stderr. */
  logError?: (err: unknown) => void
  /** Where the one line per refused request goes; defaults to stderr. */
  logRefused?: (line: string) => void
}

export interface Platform {
  readonly context: PlatformContext
  readonly app: FastifyInstance
  /** Starts listening; returns the base URL, e.g. http://127.0.0.1:43121 */
  listen(port: number, host?: string): Promise<string>
  close(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', '::1'])

/** Records which profile a data directory belongs to, and refuses to open it as the other one. */
function bindProfile(db: Db, profile: Profile): void {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'profile'").get() as { value: string } | undefined
  if (!row) db.prepare("INSERT INTO meta (key, value) VALUES ('profile', ?)").run(profile)
  else if (row.value !== profile)
    throw new Error(`数据目录属于 ${row.value} 环境，不能以 ${profile} 环境打开 (this data directory belongs to the ${row.value} profile)`)
}

/**
 * Builds the reference platform on a data directory without listening.
 * Embeddable: no process.exit, no signal handlers, every timer cleared by close().
 */
export function createPlatform(options: PlatformOptions): Platform {
  if (options.seed === 'sandbox' && options.profile !== 'sandbox')
    throw new Error('沙箱种子数据只能用于沙箱环境 (the sandbox seed is refused in the production profile)')
  const db = openDatabase(options.dataDir)
  try {
    bindProfile(db, options.profile)
    if (options.seed === 'sandbox') seedSandbox(db)
  } catch (err) {
    db.close()
    throw err
  }
  const logError = options.logError ?? ((err: unknown) => console.error('[platform]', err))
  const clock = options.clock ?? (() => new Date())
  const audit = new AuditLog(db)
  const context: PlatformContext = {
    db,
    events: new EventLog(db),
    audit,
    profile: options.profile,
    sms: options.smsCarrier ?? createSimulatedCarrier(),
    clock,
    logins: new LoginThrottle(options.loginThrottle ?? LOGIN_THROTTLE, clock, (lockout, username, address) => audit.lockout(lockout, username, address, clock().toISOString())),
    push: new PushSessions((token) => sessionForToken(db, token, clock())?.expiresAt ?? null, clock)
  }

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, forceCloseConnections: true })
  // JSON and audio only: a text/plain body is a client bug, answered 415 rather than parsed as a string.
  app.removeContentTypeParser('text/plain')
  app.addContentTypeParser([...RECORDING_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: MAX_RECORDING_BYTES }, (_req, body, done) => done(null, body))
  installErrorHandler(app, { error: logError, refused: options.logRefused ?? ((line) => console.warn('[platform]', line)) })
  void app.register(websocket, { options: { maxPayload: 64 * 1024 } })
  void app.register(async (scoped) => {
    registerPushSocket(scoped, context)
  })
  registerOperations(app, context, handlers, { validateResponses: options.validateResponses ?? false })
  app.get('/health', async () => ({ ok: true, profile: options.profile }))
  let openapi: unknown
  app.get('/openapi.json', async () => (openapi ??= buildOpenApiDocument()))

  let closed = false
  return {
    context,
    app,
    async listen(port, host = '127.0.0.1') {
      if (!LOOPBACK.has(host)) throw new Error(`参考平台只监听本机回环地址 (the reference platform binds loopback only, not ${host})`)
      await app.listen({ port, host })
      const address = app.server.address()
      if (!address || typeof address === 'string') throw new Error('no TCP address')
      return `http://${host === '::1' ? '[::1]' : host}:${address.port}`
    },
    async close() {
      if (closed) return
      closed = true
      context.push.closeAll(1001)
      context.sms.close()
      await app.close()
      context.audit.flush()
      db.close()
    }
  }
}

export interface StartOptions extends PlatformOptions {
  /** 0 picks a free port. */
  port: number
  host?: '127.0.0.1'
}

export interface RunningPlatform {
  url: string
  platform: Platform
  close(): Promise<void>
}

/** createPlatform + listen: what the desktop's sandbox worker and the CLI call. */
export async function startPlatform(options: StartOptions): Promise<RunningPlatform> {
  const platform = createPlatform(options)
  try {
    const url = await platform.listen(options.port, options.host ?? '127.0.0.1')
    return { url, platform, close: () => platform.close() }
  } catch (err) {
    await platform.close()
    throw err
  }
}
