/**
 * The transcription seam (语音转写): the seat assistant reads what the agent types today; a speech-to-text
 * provider can later feed it what is said on the call. A provider implements `TranscriptionProvider` and is
 * registered with the assistant feature in main; its final segments become the transcript that quality
 * inspection checks (greeting, closing, forbidden phrases) and, joined, the text suggestions and alerts read.
 * Nothing here records or sends audio: a provider decides where audio goes and must meet the data rules
 * (citizen data stays in the hotline's network, sealed at rest).
 */

export type Speaker = 'agent' | 'caller'

export interface TranscriptSegment {
  callId: string
  speaker: Speaker
  text: string
  /** Milliseconds from the start of the call. */
  startMs: number
  endMs: number
  /** false while the provider may still revise the words (streaming partials). */
  final: boolean
}

export interface TranscriptionSession {
  /** Partial and final segments as they arrive. */
  onSegment(listener: (segment: TranscriptSegment) => void): () => void
  /** Ends the session; resolves with the final segments in order. */
  stop(): Promise<TranscriptSegment[]>
}

export interface TranscriptionProvider {
  /** Stable id, e.g. "none" or a vendor name; shown in the assistant's status. */
  readonly id: string
  /** Starts transcribing one call's two audio legs (the phone feature hands them over). */
  start(call: { callId: string; language: 'zh-CN' }): Promise<TranscriptionSession>
}

/** Today's provider: nothing is transcribed; the assistant reads the typed ticket text instead. */
export const NO_TRANSCRIPTION: TranscriptionProvider = {
  id: 'none',
  start: () => Promise.resolve({ onSegment: () => () => {}, stop: () => Promise.resolve([]) })
}

/** The transcript turns quality inspection reads, from a provider's final segments. */
export function transcriptTurns(segments: readonly TranscriptSegment[]): { speaker: Speaker; text: string }[] {
  const out: { speaker: Speaker; text: string }[] = []
  for (const s of [...segments].filter((x) => x.final).sort((a, b) => a.startMs - b.startMs)) {
    const last = out.at(-1)
    if (last && last.speaker === s.speaker) last.text += s.text
    else out.push({ speaker: s.speaker, text: s.text })
  }
  return out
}
