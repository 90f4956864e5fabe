import type { DutyEntry, Prediction, TrainOptions, TrainingTicket } from '../../shared/dispatch'

/** Messages between main and the dispatch worker (dispatch-worker.ts). */
export type WorkerRequest =
  | { id: number; op: 'load'; text: string }
  | { id: number; op: 'train'; tickets: TrainingTicket[]; duty: DutyEntry[]; options: Partial<TrainOptions> }
  | { id: number; op: 'predict'; text: string }
  | { id: number; op: 'predictMany'; texts: string[] }

export interface ModelSummary {
  createdAt: string
  trainingSize: number
  categories: number
  departments: number
}

export interface WorkerResults {
  load: ModelSummary
  train: ModelSummary & { text: string; trainMs: number }
  /** null when no model is loaded yet. */
  predict: { prediction: Prediction; ms: number } | null
  predictMany: Prediction[] | null
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type WorkerCall = DistributiveOmit<WorkerRequest, 'id'>
