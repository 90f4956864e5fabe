/**
 * The idle lock (R10), held in main: a reloaded or crashed window cannot skip it,
 * and while it holds, the IPC dispatcher refuses every method the contract marks
 * as citizen data. Idle means no input
 * reported by the window and no draft saved for `lockAfterMs`, and no call in
 * progress: an agent listening to a long account without typing is not idle.
 */
export class IdleLock {
  private lastActivity: number
  private locked = false

  constructor(
    readonly lockAfterMs: number,
    private readonly onLock: (reason: 'idle' | 'manual') => void = () => {},
    private readonly now: () => number = Date.now,
    /** True while the desk is in use without input (a call in progress). */
    private readonly inUse: () => boolean = () => false
  ) {
    this.lastActivity = now()
  }

  /** A new session starts unlocked. */
  reset(): void {
    this.locked = false
    this.lastActivity = this.now()
  }

  /** Input from the agent; never unlocks. */
  touch(): void {
    if (!this.isLocked()) this.lastActivity = this.now()
  }

  isLocked(): boolean {
    if (!this.locked && this.inUse()) this.lastActivity = this.now()
    if (!this.locked && this.now() - this.lastActivity >= this.lockAfterMs) {
      this.locked = true
      this.onLock('idle')
    }
    return this.locked
  }

  lock(): void {
    if (this.locked) return
    this.locked = true
    this.onLock('manual')
  }

  unlock(): void {
    this.locked = false
    this.lastActivity = this.now()
  }
}
