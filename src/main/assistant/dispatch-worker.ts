import { parentPort } from 'node:worker_threads'
import { loadDispatchModel, serialiseDispatchModel, trainDispatchModel, type DispatchModel } from '../../shared/dispatch'
import type { ModelSummary, WorkerRequest } from './dispatch-protocol'

/**
 * The dispatch model's thread: training takes seconds and a prediction a millisecond; neither may hold up main's
 * event loop (IPC, SIP supervision, sync). Main keeps the model sealed at rest and hands the plain text here.
 */
const port = parentPort
if (!port) throw new Error('dispatch worker must run in a worker thread')

let model: DispatchModel | null = null

function summary(m: DispatchModel): ModelSummary {
  const d = m.data
  return { createdAt: d.createdAt, trainingSize: d.trainingSize, categories: d.category.labels.length, departments: d.department?.labels.length ?? 0 }
}

function handle(req: WorkerRequest): unknown {
  switch (req.op) {
    case 'load':
      model = loadDispatchModel(req.text)
      return summary(model)
    case 'train': {
      const started = performance.now()
      model = trainDispatchModel(req.tickets, req.duty, req.options)
      return { text: serialiseDispatchModel(model), trainMs: performance.now() - started, ...summary(model) }
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

port.on('message', (req: WorkerRequest) => {
  try {
    port.postMessage({ id: req.id, ok: true, value: handle(req) })
  } catch (err) {
    port.postMessage({ id: req.id, ok: false, error: (err as Error).message })
  }
})
