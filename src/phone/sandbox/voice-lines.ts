import type { ScenarioLine } from '../../shared/sandbox/scenario'

/**
 * A sandbox citizen's voice: prepared Mandarin lines decoded up front and
 * played one after another (with each line's pause) into a WebAudio stream
 * that a sip.js session sends as its microphone. Shared by the citizen who
 * calls the agent and the one who answers the agent's callbacks.
 */
export interface Voice {
  readonly audio: AudioContext
  /** What the session sends: silence until a line plays. */
  readonly stream: MediaStream
  /** Plays the lines from `index`; `live()` false stops before the next line. */
  speak(hooks: { live(): boolean; onLine(index: number, text: string): void; onDone(): void }, index?: number): void
  /** Lines finished so far. */
  spoken(): number
  /** Starts measuring what the citizen hears from the agent. */
  listen(remote: MediaStream | undefined): void
  /** RMS (0..1) of the audio heard over the last ~100 ms. */
  heardLevel(): number
  close(): void
}

export async function loadVoice(lines: ScenarioLine[], audioUrl: (file: string) => string): Promise<Voice> {
  const audio = new AudioContext()
  await audio.resume().catch(() => undefined)
  // Fetch and decode every line before the call: no gap in the citizen's speech later.
  const buffers = await Promise.all(
    lines.map(async (l) => {
      const res = await fetch(audioUrl(l.file))
      if (!res.ok) throw new Error(`模拟来电音频缺失：${l.file} (sandbox audio missing, HTTP ${res.status})`)
      return audio.decodeAudioData(await res.arrayBuffer())
    })
  )
  const out = audio.createMediaStreamDestination()
  const timers: ReturnType<typeof setTimeout>[] = []
  let spoken = 0
  let analyser: AnalyserNode | null = null

  const speak: Voice['speak'] = (hooks, index = 0) => {
    if (!hooks.live()) return
    if (index >= buffers.length) return hooks.onDone()
    const src = audio.createBufferSource()
    src.buffer = buffers[index]!
    src.connect(out)
    src.onended = () => {
      spoken = index + 1
      timers.push(setTimeout(() => speak(hooks, index + 1), lines[index + 1]?.pauseMs ?? 0))
    }
    hooks.onLine(index, lines[index]!.text)
    src.start()
  }

  return {
    audio,
    stream: out.stream,
    speak,
    spoken: () => spoken,
    listen(remote) {
      if (!remote?.getAudioTracks().length) return
      analyser = audio.createAnalyser()
      audio.createMediaStreamSource(remote).connect(analyser)
    },
    heardLevel() {
      if (!analyser) return 0
      const data = new Float32Array(analyser.fftSize)
      analyser.getFloatTimeDomainData(data)
      let sum = 0
      for (const v of data) sum += v * v
      return Math.sqrt(sum / data.length)
    },
    close() {
      for (const t of timers) clearTimeout(t)
      void audio.close().catch(() => undefined)
    }
  }
}
