import { EventEmitter } from 'node:events'
import type { AppState, Snapshot, StateChange, Topic } from '../../shared/ipc/state'

/**
 * Main's authoritative application state. Every change bumps one revision and is
 * emitted once; windows mirror it (see applyChange in shared/ipc/state.ts).
 *
 * `hold()` keeps changes from being emitted for a moment (the state itself is current: `get` sees every
 * change at once): the phone holds them while an answered call's media is being set up, so that windows do
 * not re-render and compete for the CPU with it. On release each changed topic is emitted once, with its
 * latest value, under consecutive revisions, so windows apply them without a resync.
 */
export class StateHub {
  private revision = 0
  private readonly events = new EventEmitter()
  private holds = 0
  private readonly held = new Set<Topic>()

  constructor(private readonly state: AppState) {}

  get<T extends Topic>(topic: T): AppState[T] {
    return this.state[topic]
  }

  set<T extends Topic>(topic: T, value: AppState[T]): void {
    this.state[topic] = value
    if (this.holds > 0) {
      this.held.add(topic)
      return
    }
    this.emit(topic)
  }

  /** Holds emission until the returned release is called (once; holds nest). */
  hold(): () => void {
    this.holds += 1
    let released = false
    return () => {
      if (released) return
      released = true
      this.holds -= 1
      if (this.holds > 0) return
      const topics = [...this.held]
      this.held.clear()
      for (const topic of topics) this.emit(topic)
    }
  }

  private emit(topic: Topic): void {
    this.revision += 1
    const change: StateChange = { revision: this.revision, topic, value: this.state[topic] }
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
