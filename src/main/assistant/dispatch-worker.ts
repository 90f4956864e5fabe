import fs from 'node:fs/promises'
import path from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { loadDispatchModel, serialiseDispatchModel, trainDispatchModel, type DispatchModel } from '../../shared/dispatch'
import { FieldCipher } from '../crypto/field-cipher'
import type { ModelSummary, WorkerRequest, WorkerStart } from './dispatch-protocol'

/**
 * The dispatch model's thread: training takes seconds, reading, opening and parsing the sealed model file (tens of
 * MB) a second or two, a prediction a millisecond; none of it may hold up main's event loop (IPC, SIP supervision,
 * sync). The model's plain text exists only here: the file on disk is sealed with the data key main hands over.
 */
const port = parentPort
if (!port) throw new Error('dispatch worker must run in a worker thread')
const cipher = new FieldCipher(Buffer.from((workerData as WorkerStart).dataKey))

let model: DispatchModel | null = null

function summary(m: DispatchModel): ModelSummary {
  const d = m.data
  return { createdAt: d.createdAt, trainingSize: d.trainingSize, categories: d.category.labels.length, departments: d.department?.labels.length ?? 0 }
}

async function openSealed(file: string): Promise<ModelSummary | null> {
  let sealed: Buffer
  try {
    sealed = await fs.readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  model = loadDispatchModel(cipher.decrypt(sealed).toString('utf8'))
  return summary(model)
}

/** Temp file, fdatasync, rename: a crash mid-write leaves the previous model in place, never half a file. */
async function writeSealed(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.tmp`
  const fh = await fs.open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(cipher.encrypt(text))
    await fh.datasync()
  } finally {
    await fh.close()
  }
  await fs.rename(tmp, file)
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.op) {
    case 'open':
      return openSealed(req.file)
    case 'train': {
      const started = performance.now()
      const trained = trainDispatchModel(req.tickets, req.duty, req.options)
      const trainMs = performance.now() - started
      const text = serialiseDispatchModel(trained)
      await writeSealed(req.sealTo, text)
      model = trained
      return { trainMs, bytes: Buffer.byteLength(text), ...summary(trained) }
    }
    case 'predict': {
      if (!model) return null
      const started = performance.now()
      const prediction = model.predict(req.text, { words: 6, similar: 3 })
      return { prediction, ms: performance.now() - started }
    }
    case 'predictMany':
      return model ? req.texts.map((t) => model!.predict(t, { words: 0, similar: 0 })) : null
  }
}

// One request at a time, in the order main sent them: a prediction sent after a load answers from the loaded model.
let queue: Promise<void> = Promise.resolve()
port.on('message', (req: WorkerRequest) => {
  queue = queue
    .then(() => handle(req))
    .then(
      (value) => port.postMessage({ id: req.id, ok: true, value }),
      (err: Error) => port.postMessage({ id: req.id, ok: false, error: err.message })
    )
})
