/** Seat-assistant logic without UI: alerts, repeat tickets, quality inspection. */
export { detectAlerts, type Alert, type AlertKind, type Severity } from './alerts'
export {
  findDuplicates,
  textSimilarity,
  normaliseForSimilarity,
  DEFAULT_DUPLICATE_OPTIONS,
  type PastTicket,
  type DuplicateCandidate,
  type DuplicateOptions
} from './duplicates'
export {
  inspectCall,
  qualityRates,
  DEFAULT_QUALITY_CONFIG,
  type QualityConfig,
  type QualityReport,
  type Finding,
  type TranscriptTurn,
  type InspectedTicket,
  type CallFacts
} from './quality'
export { checkDraft, placesInAddress, type CheckDraft, type CheckReference, type CheckIssue, type ModelOpinion } from './checks'
export { NO_TRANSCRIPTION, transcriptTurns, type TranscriptionProvider, type TranscriptionSession, type TranscriptSegment } from './transcription'
