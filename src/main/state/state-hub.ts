import { EventEmitter } from 'node:events'
import type { AppState, Snapshot, StateChange, Topic } from '../../shared/ipc/state'

/**
 * Main's authoritative application state. Every change bumps one revision and is
 * emitted once; windows mirror it (see applyChange in shared/ipc/state.ts).
 */
export class StateHub {
  private revision = 0
  private readonly events = new EventEmitter()

  constructor(private readonly state: AppState) {}

  get<T extends Topic>(topic: T): AppState[T] {
    return this.state[topic]
  }

  set<T extends Topic>(topic: T, value: AppState[T]): void {
    this.state[topic] = value
    this.revision += 1
    const change: StateChange<T> = { revision: this.revision, topic, value }
    this.events.emit('change', change)
  }

  update<T extends Topic>(topic: T, patch: Partial<AppState[T]>): void {
    this.set(topic, { ...(this.state[topic] as object), ...patch } as AppState[T])
  }

  snapshot(): Snapshot {
    return { revision: this.revision, state: structuredClone(this.state) }
  }

  onChange(listener: (change: StateChange) => void): () => void {
    this.events.on('change', listener)
    return () => this.events.off('change', listener)
  }

  listenerCount(): number {
    return this.events.listenerCount('change')
  }
}
