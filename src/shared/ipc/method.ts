import { z } from 'zod'
import type { Role } from '../roles'

/**
 * The building blocks of the IPC contract (contract.ts). Feature service groups
 * (services/*.ts) use them too, so each feature owns its methods in its own file.
 */
export type Caller = 'ui' | 'phone'

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, C extends Caller = Caller> {
  caller: C
  /** false: callable before login (login itself, snapshots). */
  session: boolean
  /** When set, the session must hold one of these roles. */
  roles?: readonly Role[]
  /**
   * true: the method shows citizen data to the window (numbers, names, what they said, recordings, notes, drafts)
   * or acts on it (sends it out of the desk to the platform or a citizen's phone, deletes it). Main refuses every such
   * method while the screen is locked, in one place (src/main/ipc/dispatcher.ts). Required, so no method joins the
   * contract without that decision.
   */
  citizenData: boolean
  args: A
  result: R
}

// Generic over the caller too, so `DeskApi<'ui'>` can tell which methods a window gets.
export const method = <A extends z.ZodType, R extends z.ZodType, C extends Caller>(spec: MethodSpec<A, R, C>) => spec

export const NoArgs = z.strictObject({})

/** A feature's services: service name → method name → spec. */
export type ServiceGroup = Record<string, Record<string, MethodSpec>>
