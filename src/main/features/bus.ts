import { EventEmitter } from 'node:events'

/**
 * Domain events between main-side features. The workbench announces a submitted
 * ticket (the assistant records the agent's choice against its suggestion and
 * inspects quality); the phone announces an ended call (talk/hold times for
 * quality inspection, callback results). Add events here, typed.
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

export class DomainBus {
  private readonly emitter = new EventEmitter()

  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    // Listeners are other features: one failing must not break the emitter's action.
    for (const l of this.emitter.listeners(name)) {
      try {
        ;(l as (p: DomainEvents[K]) => void)(payload)
      } catch {
        /* each feature logs its own failures */
      }
    }
  }

  on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener)
    return () => this.emitter.off(name, listener)
  }
}
