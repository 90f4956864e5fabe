import { z } from 'zod'
import { RoleSchema } from '../roles'
import { text } from './common'

export const LoginRequest = z.strictObject({
  username: text(64, 1),
  password: text(256, 1)
})

/** The signed-in user's password, checked again (screen unlock) without opening a second session. */
export const VerifyPasswordRequest = z.strictObject({ password: text(256, 1) })

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  seatId: z.string().nullable()
})
export type User = z.infer<typeof UserSchema>

export const LoginResponse = z.object({
  token: z.string().meta({ description: '放在 Authorization: Bearer 中 / send as Authorization: Bearer' }),
  expiresAt: z.string(),
  user: UserSchema,
  profile: z.enum(['sandbox', 'production'])
})

export const MeResponse = z.object({ user: UserSchema, profile: z.enum(['sandbox', 'production']) })
