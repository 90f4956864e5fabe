import type { z } from 'zod'
import { lookupMethod, type Caller, type Contract, type MethodSpec, type ServiceName } from '../../shared/ipc/contract'
import type { AppState } from '../../shared/ipc/state'
import { fail, ok, type AppError, type ErrorCode, type IllegalMove, type Result } from '../../shared/result'
import type { Logger } from '../logging'

export type SessionUser = NonNullable<AppState['session']['user']>

export interface CallContext {
  caller: Caller
  user: SessionUser | null
}

/** Thrown by a handler for an expected failure; becomes `{ok:false, error}`. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly zh: string,
    readonly en: string,
    readonly issues?: AppError['issues'],
    /** The state and the move, when a state machine refused it. */
    readonly illegalMove?: IllegalMove
  ) {
    super(en)
    this.name = 'DomainError'
  }

  /** The failure as the window receives it. */
  toAppError(): AppError {
    return { code: this.code, message: this.zh, messageEn: this.en, ...(this.issues ? { issues: this.issues } : {}), ...(this.illegalMove ? { illegalMove: this.illegalMove } : {}) }
  }
}

type SpecArgs<T> = T extends MethodSpec<infer A, z.ZodType> ? z.output<A> : never
type SpecResult<T> = T extends MethodSpec<z.ZodType, infer R> ? z.output<R> : never

/** One handler per method of the contract: the compiler says which are missing. */
export type Handlers = {
  [S in ServiceName]: {
    [M in keyof Contract[S]]: (args: SpecArgs<Contract[S][M]>, ctx: CallContext) => Promise<SpecResult<Contract[S][M]>> | SpecResult<Contract[S][M]>
  }
}

/**
 * Every IPC message passes through here, whatever the transport (Electron IPC or
 * the browser host's WebSocket): known method, right window, signed-in session,
 * an unlocked screen for citizen data, role where required, arguments that match
 * the schema. Anything else is a typed error and a log line; main never throws
 * back at a window.
 */
export class IpcDispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly currentUser: () => SessionUser | null,
    private readonly log: Logger,
    /** The idle lock (session/idle-lock.ts): while it holds, every method the contract marks `citizenData` is refused. */
    private readonly screenLocked: () => boolean = () => false
  ) {}

  async handle(caller: Caller, service: unknown, method: unknown, rawArgs: unknown): Promise<Result<unknown>> {
    const spec = typeof service === 'string' && typeof method === 'string' ? lookupMethod(service, method) : undefined
    if (!spec) {
      this.log.warn('ipc: unknown method rejected', { caller, service: String(service).slice(0, 64), method: String(method).slice(0, 64) })
      return fail('unknown_method', '未知的操作', 'Unknown service or method')
    }
    const name = `${String(service)}.${String(method)}`
    if (spec.caller !== caller) {
      this.log.warn('ipc: wrong caller rejected', { caller, method: name })
      return fail('wrong_caller', '此窗口无权调用该操作', `This window may not call ${name}`)
    }
    const user = this.currentUser()
    if (spec.session && !user) return fail('unauthenticated', '请先登录', 'Please sign in first')
    if (spec.citizenData && user && this.screenLocked()) {
      this.log.info('ipc: citizen data refused on a locked screen', { method: name, user: user.username })
      return fail('locked', '屏幕已锁定，请先解锁', 'The screen is locked: unlock first')
    }
    if (spec.roles && !(user && user.roles.some((r) => spec.roles!.includes(r)))) {
      this.log.warn('ipc: role check failed', { method: name, user: user?.username })
      return fail('forbidden', '当前角色无权执行此操作', 'Your role may not do this')
    }
    const parsed = spec.args.safeParse(rawArgs ?? {})
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(args)', message: i.message }))
      this.log.warn('ipc: malformed arguments rejected', { method: name, issues })
      return fail('bad_request', '参数不正确', `Invalid arguments for ${name}`, issues)
    }
    const handler = (this.handlers as unknown as Record<string, Record<string, (a: unknown, c: CallContext) => unknown>>)[service as string]?.[method as string]
    if (!handler) return fail('unknown_method', '未知的操作', 'Unknown service or method')
    try {
      return ok(await handler(parsed.data, { caller, user }))
    } catch (err) {
      if (err instanceof DomainError) return { ok: false, error: err.toAppError() }
      this.log.error('ipc: handler failed', { method: name, error: (err as Error).stack ?? String(err) })
      return fail('internal', '内部错误，已记录日志', 'Internal error (logged)')
    }
  }
}
