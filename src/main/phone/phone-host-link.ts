import type { FeatureContext } from '../features/feature'
import { phoneError, type PhoneCommand, type PhoneError, type PhoneResult } from '../../shared/phone'

/**
 * Main's link to the phone host: a command goes out as a `driver` phone-command event carrying an id, and its
 * answer comes back as phone.commandResult with that id. A host that is not running fails the command at once; a
 * host that does not answer fails it after the timeout.
 */
export class PhoneHostLink {
  private readonly pending = new Map<number, { resolve: (r: PhoneResult) => void; timer: NodeJS.Timeout }>()
  private nextId = 0

  constructor(
    private readonly ctx: Pick<FeatureContext, 'hub' | 'sendPhoneCommand'>,
    private readonly timeoutMs = 10_000
  ) {}

  /** Sends a command to the phone host and waits for its answer. */
  command(command: PhoneCommand): Promise<PhoneResult> {
    if (this.ctx.hub.get('phoneHost').status !== 'alive') {
      return Promise.resolve({ ok: false, error: phoneError('internal', { detail: 'phone host not running' }) })
    }
    const id = ++this.nextId
    return new Promise<PhoneResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        resolve({ ok: false, error: phoneError('timeout', { detail: `phone host did not answer ${command.type}` }) })
      }, this.timeoutMs)
      timer.unref?.()
      this.pending.set(id, { resolve, timer })
      this.ctx.sendPhoneCommand({ type: 'driver', id, command: command as never })
    })
  }

  /** The phone host's answer to command `id`. */
  result(id: number, result: PhoneResult): void {
    const p = this.pending.get(id)
    if (!p) return
    clearTimeout(p.timer)
    this.pending.delete(id)
    p.resolve(result)
  }

  stop(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer)
    this.pending.clear()
  }
}

/** A phone command (or agent move) that failed: the phone's typed error, shown to the agent as its message. */
export class PhoneCommandError extends Error {
  constructor(readonly error: PhoneError) {
    super(error.messageEn)
  }
}
