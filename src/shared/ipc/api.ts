import type { DeskEvent, Caller, ServiceName, MethodName, ArgsOf, ResultOf, Contract } from './contract'
import { methodsFor } from './contract'
import type { Result } from '../result'

/**
 * What a window's bridge provides, whatever carries it (Electron's preload or the
 * browser host's WebSocket): invoke a contract method, receive events, and hear
 * when the link to main came back (so mirrors resync).
 */
export interface DeskTransport {
  invoke(service: string, method: string, args: unknown): Promise<Result<unknown>>
  onEvent(listener: (event: DeskEvent) => void): () => void
  onReconnect(listener: () => void): () => void
}

/** The typed API a window uses: `api.session.login({username, password})`. */
export type DeskApi<C extends Caller> = {
  [S in ServiceName as CallerMethods<S, C> extends never ? never : S]: {
    [M in CallerMethods<S, C>]: (args: ArgsOf<S, M>) => Promise<Result<ResultOf<S, M>>>
  }
}
type CallerMethods<S extends ServiceName, C extends Caller> = {
  [M in MethodName<S>]: Contract[S][M] extends { caller: C } ? M : never
}[MethodName<S>]

export function createDeskApi<C extends Caller>(caller: C, transport: DeskTransport): DeskApi<C> {
  const api: Record<string, Record<string, (args: unknown) => Promise<Result<unknown>>>> = {}
  for (const [service, method] of methodsFor(caller)) {
    api[service] ??= {}
    api[service][method] = (args) => transport.invoke(service, method, args ?? {})
  }
  return api as DeskApi<C>
}
