import { z } from 'zod'
import { RoleSchema } from '../roles'
import { method, NoArgs, type Caller, type MethodSpec } from './method'
import { phoneServices } from './services/phone'
import { PhoneCommandSchema } from '../phone/driver'
import { workbenchServices } from './services/workbench'
import { knowledgeServices } from './services/knowledge'
import { assistantServices } from './services/assistant'
import { trainingServices } from './services/training'
import { recordingServices } from './services/recordings'
import { AppStateSchema, SnapshotSchema, SessionStateSchema, TOPICS } from './state'
import { SyncProblemSchema, SyncResolutionSchema } from '../sync/problems'

/**
 * The one IPC contract between main and its windows. Every service lists its
 * methods with: which window may call it, whether a signed-in session is needed
 * and for which roles, and the zod schema of its arguments. Main validates all
 * of that on every message (src/main/ipc/dispatcher.ts); the preload bridges and
 * the browser host expose exactly these methods and nothing else.
 */
const Credentials = z.strictObject({
  username: z.string().trim().min(1, '请输入工号 (username required)').max(64),
  password: z.string().min(1, '请输入密码 (password required)').max(256)
})

export const contract = {
  system: {
    snapshot: method({ caller: 'ui', session: false, citizenData: false, args: NoArgs, result: SnapshotSchema }),
    phoneSnapshot: method({ caller: 'phone', session: false, citizenData: false, args: NoArgs, result: SnapshotSchema })
  },
  session: {
    login: method({ caller: 'ui', session: false, citizenData: false, args: Credentials, result: SessionStateSchema }),
    logout: method({ caller: 'ui', session: true, citizenData: false, args: NoArgs, result: z.null() })
  },
  /** Changes the platform would not take (refused or conflicting): shown to the agent, resolved by the agent. */
  sync: {
    problems: method({ caller: 'ui', session: true, citizenData: true, args: NoArgs, result: z.object({ items: z.array(SyncProblemSchema) }) }),
    resolve: method({ caller: 'ui', session: true, citizenData: true, args: SyncResolutionSchema, result: z.null() })
  },
  phoneHost: {
    /** The phone host announces itself after (re)loading. */
    hello: method({
      caller: 'phone',
      session: false,
      citizenData: false,
      args: z.strictObject({ userAgent: z.string().max(512), bundle: z.string().max(64) }),
      result: z.object({ heartbeatMs: z.number().int() })
    }),
    heartbeat: method({ caller: 'phone', session: false, citizenData: false, args: z.strictObject({ at: z.number() }), result: z.null() })
  },
  // Each feature owns its services in services/<feature>.ts.
  ...phoneServices,
  ...workbenchServices,
  ...knowledgeServices,
  ...assistantServices,
  ...trainingServices,
  ...recordingServices
} as const satisfies Record<string, Record<string, MethodSpec>>

export type Contract = typeof contract
export type ServiceName = keyof Contract
export type MethodName<S extends ServiceName> = keyof Contract[S] & string
export type ArgsOf<S extends ServiceName, M extends MethodName<S>> = Contract[S][M] extends MethodSpec<infer A, z.ZodType, Caller> ? z.input<A> : never
export type ResultOf<S extends ServiceName, M extends MethodName<S>> = Contract[S][M] extends MethodSpec<z.ZodType, infer R, Caller> ? z.output<R> : never

/** Methods a given window may call, as `[service, method]` pairs: what its bridge exposes. */
export function methodsFor(caller: Caller): [ServiceName, string][] {
  const out: [ServiceName, string][] = []
  for (const [service, methods] of Object.entries(contract) as [ServiceName, Record<string, MethodSpec>][]) {
    for (const [name, spec] of Object.entries(methods)) if (spec.caller === caller) out.push([service, name])
  }
  return out
}

export function lookupMethod(service: string, name: string): MethodSpec | undefined {
  if (!Object.hasOwn(contract, service)) return undefined
  const methods = contract[service as ServiceName] as Record<string, MethodSpec>
  return Object.hasOwn(methods, name) ? methods[name] : undefined
}

/** Events main pushes to windows. Each carries the global state revision. */
export const StateEventSchema = z.object({
  kind: z.literal('state'),
  revision: z.number().int(),
  topic: z.enum(TOPICS as [string, ...string[]]),
  value: z.unknown()
})

export const PhoneCommandEventSchema = z.object({
  kind: z.literal('phone-command'),
  seq: z.number().int(),
  command: z.discriminatedUnion('type', [
    z.object({ type: z.literal('reload') }),
    z.object({ type: z.literal('ping'), nonce: z.string() }),
    // Training sandbox: a simulated citizen calls the agent from inside the phone host.
    z.object({ type: z.literal('simulate-call'), attemptId: z.string(), scenarioId: z.string(), agentUser: z.string() }),
    z.object({ type: z.literal('end-simulated-call'), attemptId: z.string() }),
    /** A PhoneDriver command; the phone host answers with phone.commandResult({ id }). */
    z.object({ type: z.literal('driver'), id: z.number().int(), command: PhoneCommandSchema })
  ])
})

export const EventSchema = z.discriminatedUnion('kind', [StateEventSchema, PhoneCommandEventSchema])
export type DeskEvent = z.infer<typeof EventSchema>
export type EventAudience = Caller

/** Transport-neutral invoke message (the WebSocket bridge sends this shape). */
export const InvokeMessageSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  service: z.string().max(64),
  method: z.string().max(64),
  args: z.unknown()
})
export type InvokeMessage = z.infer<typeof InvokeMessageSchema>

export { AppStateSchema, RoleSchema }
export { method, NoArgs, type Caller, type MethodSpec }
