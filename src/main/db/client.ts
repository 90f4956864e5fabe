import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { resolveWorkerScript } from '../workers'
import type { OpArgs, OpName, OpResult } from './operations'
import type { UiMessage } from '../../shared/messages'

export class DatabaseError extends Error {
  constructor(
    message: string,
    readonly code?: string
  ) {
    super(message)
    this.name = 'DatabaseError'
  }
}

/** Main's handle on the database thread: typed, promise-based, ordered. */
export class DbClient {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: { id?: number; ok?: boolean; value?: unknown; error?: { message: string; code?: string } }) => {
      if (msg.id === undefined) return
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.ok) p.resolve(msg.value)
      else p.reject(new DatabaseError(msg.error?.message ?? 'database error', msg.error?.code))
    })
    worker.on('error', (err) => this.failAll(err))
    worker.on('exit', (code) => this.failAll(new DatabaseError(`database worker exited (${code})`)))
  }

  /** Starts the worker and waits until the database is open and migrated. */
  static open(file: string): Promise<{ client: DbClient; notices: UiMessage[] }> {
    const script = resolveWorkerScript('db-worker', path.join(__dirname, 'worker.ts'))
    const worker = new Worker(script.file, { workerData: { file }, execArgv: script.execArgv })
    return new Promise((resolve, reject) => {
      const onMessage = (msg: { type?: string; notices?: UiMessage[]; message?: string }) => {
        if (msg.type === 'ready') {
          worker.off('message', onMessage)
          resolve({ client: new DbClient(worker), notices: msg.notices ?? [] })
        } else if (msg.type === 'fatal') {
          worker.off('message', onMessage)
          void worker.terminate()
          reject(new DatabaseError(msg.message ?? 'database could not be opened'))
        }
      }
      worker.on('message', onMessage)
      worker.once('error', reject)
    })
  }

  call<K extends OpName>(op: K, args: OpArgs<K>): Promise<OpResult<K>> {
    // After shutdown began, late fire-and-forget work (a timer, an event) gets no answer rather than
    // an unhandled rejection: the process is going away, and nothing half-written can result.
    if (this.closing) return new Promise<never>(() => undefined)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage({ id, op, args })
    })
  }

  async close(): Promise<void> {
    this.closing = true
    // Let queries already sent finish first: terminating under them would reject them, and a
    // fire-and-forget caller would see an unhandled rejection at shutdown.
    const drainUntil = Date.now() + 2000
    while (this.pending.size && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 10))
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, 2000)
      const onMessage = (msg: { type?: string }) => {
        if (msg?.type === 'closed') done()
      }
      function done() {
        clearTimeout(t)
        resolve()
      }
      this.worker.on('message', onMessage)
      this.worker.postMessage({ type: 'close' })
    })
    await this.worker.terminate()
  }

  private closing = false

  private failAll(err: Error): void {
    // At shutdown the worker is terminated on purpose: what is still pending is dropped, not failed.
    if (this.closing) {
      this.pending.clear()
      return
    }
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }
}
