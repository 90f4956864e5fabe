import { EventEmitter } from 'node:events'

/**
 * Domain events between main-side features. The workbench announces a submitted
 * ticket (the assistant records the agent's choice against its suggestion and
 * inspects quality); the phone announces an ended call (talk/hold times for
 * quality inspection, callback results). Add events here, typed.
 * 'ticket.submitted' is delivered (awaited, and made again after a crash): its listeners are idempotent.
 */
export interface DomainEvents {
  'ticket.submitted': {
    ticketId: string
    /** The platform's ticket number (工单编号) the agent and QA see. */
    ticketNumber?: string
    callId: string | null
    actor: string
    text: string
    category: string | null
    department: string | null
    /** What the assistant suggested when the agent submitted (null if it abstained). */
    suggested: { category: string | null; department: string | null } | null
    handling: string
    at: number
  }
  'call.ended': {
    callId: string
    direction: 'inbound' | 'outbound'
    remoteNumber: string
    actor: string | null
    startedAt: number
    answeredAt: number | null
    endedAt: number
    holdMs: number
    endedBy: 'local' | 'remote' | 'failure'
    purpose: 'hotline' | 'callback' | 'consult' | 'other'
    ticketId: string | null
    /**
     * The platform's call record, when the phone side registered the call with the platform
     * (createCall); the recording is then attached to it instead of registering the call again.
     */
    platformCallId?: number | null
  }
}

/** A listener may work asynchronously; `deliver` waits for it, `emit` does not. */
type Listener<P> = (payload: P) => unknown

export class DomainBus {
  private readonly emitter = new EventEmitter()

  /** Tells every listener and goes on at once: for news whose listeners log and absorb their own failures. */
  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    // Listeners are other features: one failing must not break the emitter's action.
    for (const l of this.emitter.listeners(name)) {
      try {
        const done = (l as Listener<DomainEvents[K]>)(payload)
        if (done instanceof Promise) done.catch(() => undefined)
      } catch {
        /* each feature logs its own failures */
      }
    }
  }

  /**
   * Tells every listener and waits until each has finished, for an announcement its sender records as made only
   * afterwards (a submitted ticket: the recording link, the assistant's feedback row). A crash before that record
   * means the announcement is made again at the next start, so listeners of such events must be idempotent and
   * let their failures propagate: the sender logs them and announces again later. Returns the failures.
   */
  async deliver<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): Promise<Error[]> {
    const settled = await Promise.allSettled(this.emitter.listeners(name).map(async (l) => (l as Listener<DomainEvents[K]>)(payload)))
    return settled.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason : new Error(String(r.reason))] : []))
  }

  on<K extends keyof DomainEvents>(name: K, listener: Listener<DomainEvents[K]>): () => void {
    this.emitter.on(name, listener)
    return () => this.emitter.off(name, listener)
  }
}
