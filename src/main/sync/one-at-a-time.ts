/**
 * Runs a task one at a time: asked while it runs, it runs once more when it ends (however often it was asked
 * meanwhile), never twice at once, and no request is lost between the end of a run and the next. For recounts and
 * sweeps that read the store afresh each time: an older answer never lands after a newer one. The task handles
 * its own failures.
 */
export class OneAtATime {
  private running: Promise<void> | null = null
  private again = false

  constructor(private readonly task: () => Promise<void>) {}

  /** Settles when a run that began after this request has ended. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.loop()
    return this.running
  }

  /** Settles when nothing runs or is asked for. */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false
        await this.task()
      } while (this.again)
    } finally {
      // In the same turn as the last check of `again`: a request after it starts a new run.
      this.running = null
    }
  }
}
