import { createSession, endSession, toSessionUser, verifyPassword, type UserRow } from '../auth'
import { errors } from '../http/api-error'
import type { Handlers } from '../http/handler-types'

export const sessionHandlers = {
  login: ({ ctx, body, now }) => {
    const row = ctx.db.prepare('SELECT * FROM users WHERE username = ? AND disabled = 0').get(body.username) as UserRow | undefined
    // One answer for unknown user and wrong password, so usernames cannot be probed.
    if (!row || !verifyPassword(body.password, row.password_hash)) throw errors.unauthenticated('用户名或密码错误', 'wrong username or password')
    if (row.sandbox === 1 && ctx.profile === 'production')
      throw errors.unauthenticated('沙箱账号不能登录生产环境', 'sandbox accounts are refused by the production profile')
    const session = createSession(ctx.db, row.id, new Date(now))
    return { token: session.token, expiresAt: session.expiresAt, user: toSessionUser(row), profile: ctx.profile }
  },
  logout: ({ ctx, token }) => {
    if (token) endSession(ctx.db, token)
    return { ok: true as const }
  },
  verifyPassword: ({ ctx, user, body }) => {
    const row = ctx.db.prepare('SELECT password_hash FROM users WHERE id = ? AND disabled = 0').get(user.id) as Pick<UserRow, 'password_hash'> | undefined
    if (!row || !verifyPassword(body.password, row.password_hash)) throw errors.wrongPassword()
    return { ok: true as const }
  },
  getMe: ({ ctx, user }) => ({ user, profile: ctx.profile })
} satisfies Partial<Handlers>
