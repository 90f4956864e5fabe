import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { StateHub } from '../state/state-hub'
import type { Logger } from '../logging'
import { DomainError, type SessionUser } from '../ipc/dispatcher'
import { PlatformError, type PlatformGateway } from '../platform/gateway'
import type { AuditLog } from '../audit'

/** scrypt costs tens of ms of CPU by design: it runs on libuv's thread pool, not on main's event loop. */
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>

/**
 * Signing in and out. The platform decides who the user is and which roles they
 * hold; main keeps the token (never the renderer) and publishes the session.
 */
export class SessionService {
  private token: string | null = null
  /**
   * A salted scrypt hash of the password this session signed in with, in memory only: the screen can be
   * unlocked while the platform is unreachable (a 7×24 desk must not be locked out by an outage).
   */
  private verifier: { salt: Buffer; hash: Buffer } | null = null

  constructor(
    private readonly hub: StateHub,
    private readonly platform: () => PlatformGateway,
    private readonly audit: AuditLog,
    private readonly log: Logger
  ) {}

  currentUser(): SessionUser | null {
    return this.hub.get('session').user
  }

  /** The platform bearer token, for main's own platform calls only. */
  bearer(): string | null {
    return this.token
  }

  async login(username: string, password: string) {
    let result: Awaited<ReturnType<PlatformGateway['login']>>
    try {
      result = await this.platform().login(username, password)
    } catch (err) {
      if (err instanceof PlatformError && (err.status === 401 || err.status === 403)) {
        await this.audit.record(username, 'session.login_failed', null, null)
        throw new DomainError('unauthenticated', '工号或密码错误', 'Wrong username or password')
      }
      // Too many failed sign-ins: the platform's own words say how long to wait (or that the account is locked).
      if (err instanceof PlatformError && err.status === 429) {
        await this.audit.record(username, 'session.login_throttled', null, null)
        const body = (err.body ?? {}) as { message_zh?: string; message_en?: string }
        throw new DomainError('unauthenticated', body.message_zh ?? '登录失败次数过多，请稍后再试', body.message_en ?? 'too many failed sign-ins; try again later')
      }
      if (err instanceof PlatformError && err.status === 400) {
        throw new DomainError('bad_request', '登录信息格式不正确', 'Malformed login')
      }
      this.log.warn('session: platform unreachable at login', { error: (err as Error).message })
      throw new DomainError('unavailable', '无法连接热线平台，请检查网络后重试', 'The hotline platform cannot be reached')
    }
    this.token = result.token
    const salt = randomBytes(16)
    this.verifier = { salt, hash: await scryptAsync(password, salt, 32) }
    const session = { user: result.user, since: Date.now() }
    this.hub.set('session', session)
    await this.audit.record(result.user.username, 'session.login', null, null)
    return session
  }

  /** Whether `password` is the one this session signed in with (for unlocking while the platform is unreachable). */
  async matchesSignInPassword(password: string): Promise<boolean> {
    const verifier = this.verifier
    if (!verifier) return false
    return timingSafeEqual(await scryptAsync(password, verifier.salt, 32), verifier.hash)
  }

  async logout(): Promise<null> {
    const user = this.currentUser()
    const token = this.token
    this.token = null
    this.verifier = null
    this.hub.set('session', { user: null, since: null })
    if (user) await this.audit.record(user.username, 'session.logout', null, null)
    if (token) await this.platform().logout(token).catch((err: Error) => this.log.warn('session: platform logout failed', { error: err.message }))
    return null
  }
}
