/** Smart dispatch (智能派单): the API the desktop calls. See model.ts for how it works. */
export {
  trainDispatchModel,
  DispatchModel,
  DEFAULT_TRAIN_OPTIONS,
  type TrainingTicket,
  type DutyEntry,
  type TrainOptions,
  type Prediction,
  type HeadPrediction,
  type Ranked,
  type Explanation
} from './model'
export { loadDispatchModel, serialiseDispatchModel, DispatchModelFileError, MODEL_FORMAT, MODEL_VERSION } from './model-file'
export {
  overrideRecordSchema,
  type OverrideRecord,
  makeOverrideRecord,
  isOverride,
  parseOverrideRecords,
  foldOverrides,
  retrainWithOverrides,
  recentAccuracy,
  type RecentAccuracy
} from './overrides'
export { evaluate, type EvalCase, type EvalReport } from './metrics'
export { parseLabelledCsv, type LabelledRow } from './csv'
