import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { resolveWorkerScript } from '../workers'
import type { WorkerCall, WorkerResults, WorkerStart } from './dispatch-protocol'

/** Main's handle on the dispatch worker: typed, promise-based. `dataKey` seals the model file at rest. */
export class DispatchWorkerClient {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private readonly worker: Worker
  private dead: Error | null = null

  constructor(dataKey: Buffer) {
    const script = resolveWorkerScript('dispatch-worker', path.join(__dirname, 'dispatch-worker.ts'))
    const start: WorkerStart = { dataKey }
    this.worker = new Worker(script.file, { execArgv: script.execArgv, workerData: start })
    this.worker.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.ok) p.resolve(msg.value)
      else p.reject(new Error(msg.error ?? 'dispatch worker error'))
    })
    const fail = (err: Error): void => {
      this.dead = err
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    }
    this.worker.on('error', fail)
    this.worker.on('exit', (code) => fail(new Error(`dispatch worker exited (${code})`)))
  }

  call<C extends WorkerCall>(req: C): Promise<WorkerResults[C['op']]> {
    if (this.dead) return Promise.reject(this.dead)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage({ ...req, id })
    })
  }

  async stop(): Promise<void> {
    await this.worker.terminate()
  }
}
