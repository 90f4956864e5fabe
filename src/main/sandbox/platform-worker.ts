import { parentPort, workerData } from 'node:worker_threads'
import { startPlatform } from '../../platform'

/**
 * The training sandbox's platform: the reference service, run in a thread of
 * main's process on 127.0.0.1 with its own SQLite file and seed data, so the
 * sandbox needs no server and its data can never reach production.
 */
const port = parentPort!
const { dataDir } = workerData as { dataDir: string }

startPlatform({ port: 0, host: '127.0.0.1', dataDir, profile: 'sandbox', seed: 'sandbox' })
  .then((platform) => {
    port.postMessage({ type: 'ready', url: platform.url })
    port.on('message', (msg: { type: string }) => {
      if (msg.type === 'close') void platform.close().then(() => port.postMessage({ type: 'closed' }))
    })
  })
  .catch((err: Error) => port.postMessage({ type: 'fatal', message: err.stack ?? err.message }))
