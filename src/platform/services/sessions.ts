import { createSession, endSession, hashForUnknownUser, toSessionUser, verifyPassword, type UserRow } from '../auth'
import { errors } from '../http/api-error'
import { awaiting, type Handlers } from '../http/handler-types'

export const sessionHandlers = {
  login: awaiting<'login'>(async ({ ctx, body, clientAddress }) => {
    const attempt = ctx.logins.begin(body.username, clientAddress)
    const row = ctx.db.prepare('SELECT * FROM users WHERE username = ? AND disabled = 0').get(body.username) as UserRow | undefined
    // One answer, after the same scrypt, for an unknown user and a wrong password: neither the body nor the
    // time it takes tells whether the account exists.
    const right = await verifyPassword(body.password, row?.password_hash ?? (await hashForUnknownUser()))
    if (!row || !right) {
      attempt.failed()
      throw errors.unauthenticated('用户名或密码错误', 'wrong username or password')
    }
    attempt.succeeded()
    if (row.sandbox === 1 && ctx.profile === 'production')
      throw errors.unauthenticated('沙箱账号不能登录生产环境', 'sandbox accounts are refused by the production profile')
    const session = createSession(ctx.db, row.id, ctx.clock())
    return { token: session.token, expiresAt: session.expiresAt, user: toSessionUser(row), profile: ctx.profile }
  }),
  logout: ({ ctx, token, afterCommit }) => {
    if (token) {
      endSession(ctx.db, token)
      afterCommit(() => ctx.push.endSession(token, 'signed out'))
    }
    return { ok: true as const }
  },
  /** Screen unlock: the same throttle as sign-in, on the signed-in account, so a desk left open cannot be guessed into. */
  verifyPassword: awaiting<'verifyPassword'>(async ({ ctx, user, body, clientAddress }) => {
    const attempt = ctx.logins.begin(user.username, clientAddress)
    const row = ctx.db.prepare('SELECT password_hash FROM users WHERE id = ? AND disabled = 0').get(user.id) as Pick<UserRow, 'password_hash'> | undefined
    if (!row || !(await verifyPassword(body.password, row.password_hash))) {
      attempt.failed()
      throw errors.wrongPassword()
    }
    attempt.succeeded()
    return { ok: true as const }
  }),
  getMe: ({ ctx, user }) => ({ user, profile: ctx.profile })
} satisfies Partial<Handlers>
