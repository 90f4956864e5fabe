/**
 * A finite state machine as data: a transition table (from → allowed targets) and
 * one guarded transition function that throws on an illegal move. Pattern from
 * sip.js's `Session.stateTransition` (src/api/session.ts): every change goes
 * through one place, so an impossible combination cannot be reached silently.
 */
export type TransitionTable<S extends string> = { readonly [K in S]: readonly S[] }

export class IllegalTransitionError extends Error {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string
  ) {
    super(`${machine}: illegal transition ${from} → ${to}`)
    this.name = 'IllegalTransitionError'
  }
}

export function canTransition<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return table[from].includes(to)
}

/** Returns `to` when the table allows `from → to`, throws IllegalTransitionError otherwise. */
export function guardTransition<S extends string>(machine: string, table: TransitionTable<S>, from: S, to: S): S {
  if (!Object.hasOwn(table, from) || !canTransition(table, from, to)) throw new IllegalTransitionError(machine, from, to)
  return to
}
