import type { DutyEntry, Prediction, TrainOptions, TrainingTicket } from '../../shared/dispatch'

/** Messages between main and the dispatch worker (dispatch-worker.ts). */
export type WorkerRequest =
  /** Reads the sealed model file, opens it with the data key and loads it; null when there is no file. */
  | { id: number; op: 'open'; file: string }
  /** Trains, seals the model into `sealTo` (atomically) and only then makes it the one that predicts. */
  | { id: number; op: 'train'; tickets: TrainingTicket[]; duty: DutyEntry[]; options: Partial<TrainOptions>; sealTo: string }
  | { id: number; op: 'predict'; text: string }
  | { id: number; op: 'predictMany'; texts: string[] }

export interface ModelSummary {
  createdAt: string
  trainingSize: number
  categories: number
  departments: number
}

export interface WorkerResults {
  open: ModelSummary | null
  /** `bytes`: the model file's size before sealing. */
  train: ModelSummary & { trainMs: number; bytes: number }
  /** null when no model is loaded yet. */
  predict: { prediction: Prediction; ms: number } | null
  predictMany: Prediction[] | null
}

/** What the worker is started with: the data key that seals the model at rest. */
export interface WorkerStart {
  dataKey: Uint8Array
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type WorkerCall = DistributiveOmit<WorkerRequest, 'id'>
