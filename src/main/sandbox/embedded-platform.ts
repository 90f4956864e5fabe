import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { resolveWorkerScript } from '../workers'

export interface EmbeddedPlatform {
  url: string
  close(): Promise<void>
}

/** Starts the sandbox's reference platform in a worker thread and waits for its URL. */
export function startEmbeddedPlatform(dataDir: string): Promise<EmbeddedPlatform> {
  const script = resolveWorkerScript('platform-worker', path.join(__dirname, 'platform-worker.ts'))
  const worker = new Worker(script.file, { workerData: { dataDir }, execArgv: script.execArgv })
  return new Promise((resolve, reject) => {
    worker.once('error', reject)
    worker.on('message', function onReady(msg: { type: string; url?: string; message?: string }) {
      if (msg.type === 'fatal') {
        worker.off('message', onReady)
        void worker.terminate()
        reject(new Error(`沙箱平台启动失败 (sandbox platform failed to start): ${msg.message}`))
      } else if (msg.type === 'ready') {
        worker.off('message', onReady)
        resolve({
          url: msg.url!,
          close: () =>
            new Promise<void>((done) => {
              const t = setTimeout(() => void worker.terminate().then(() => done()), 3000)
              worker.on('message', (m: { type: string }) => {
                if (m.type !== 'closed') return
                clearTimeout(t)
                void worker.terminate().then(() => done())
              })
              worker.postMessage({ type: 'close' })
            })
        })
      }
    })
  })
}
