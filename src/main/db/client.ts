import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { resolveWorkerScript } from '../workers'
import type { OpArgs, OpName, OpResult } from './operations'

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
  static open(file: string): Promise<{ client: DbClient; notices: string[] }> {
    const script = resolveWorkerScript('db-worker', path.join(__dirname, 'worker.ts'))
    const worker = new Worker(script.file, { workerData: { file }, execArgv: script.execArgv })
    return new Promise((resolve, reject) => {
      const onMessage = (msg: { type?: string; notices?: string[]; message?: string }) => {
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
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage({ id, op, args })
    })
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000)
      this.worker.once('message', () => {
        clearTimeout(t)
        resolve()
      })
      this.worker.postMessage({ type: 'close' })
    })
    await this.worker.terminate()
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }
}
