import { parentPort, workerData } from 'node:worker_threads'
import { DatabaseRefusedError, openDatabase } from './database'
import { operations } from './operations'

/**
 * The database thread. better-sqlite3 is synchronous and `synchronous=FULL`
 * fsyncs on every commit; running it here keeps main's event loop (IPC, SIP
 * supervision, sync) free while a write waits for the disk.
 */
const port = parentPort
if (!port) throw new Error('db worker must run in a worker thread')

type Request = { id: number; op: string; args: unknown }

try {
  const { db, notices } = openDatabase((workerData as { file: string }).file)
  port.postMessage({ type: 'ready', notices })
  port.on('message', (msg: Request | { type: 'close' }) => {
    if ('type' in msg) {
      db.close()
      port.postMessage({ type: 'closed' })
      return
    }
    const op = (operations as Record<string, (d: typeof db, a: unknown) => unknown>)[msg.op]
    if (!op) {
      port.postMessage({ id: msg.id, ok: false, error: { message: `unknown operation ${msg.op}` } })
      return
    }
    try {
      port.postMessage({ id: msg.id, ok: true, value: op(db, msg.args) })
    } catch (err) {
      const e = err as Error & { code?: string }
      port.postMessage({ id: msg.id, ok: false, error: { message: e.message, code: e.code } })
    }
  })
} catch (err) {
  const refused = err instanceof DatabaseRefusedError
  port.postMessage({ type: 'fatal', refused, message: (err as Error).message })
}
