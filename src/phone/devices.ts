import { phoneError, type DeviceKind, type Devices } from '../shared/phone'
import type { BrowserMedia } from './media'
import type { SipJsDriver } from './sipjs-driver'

/**
 * The audio devices as the phone host sees them, reported to main whenever they
 * change (hot-plug) or the agent chooses others. A chosen device that disappears
 * falls back to the system default at once — a live call keeps going on the new
 * microphone — and the fact says so, so the agent is told.
 */
export function startDeviceWatch(driver: SipJsDriver, media: BrowserMedia): () => Promise<void> {
  /** A live call has no microphone at all (the agent was told; plugging one in brings the call's voice back). */
  let micLost = false
  const refresh = async (): Promise<void> => {
    let list: MediaDeviceInfo[]
    try {
      list = await navigator.mediaDevices.enumerateDevices()
    } catch {
      return
    }
    const info = (kind: 'audioinput' | 'audiooutput') =>
      list.filter((d) => d.kind === kind && d.deviceId).map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${kind === 'audioinput' ? '麦克风' : '扬声器'} ${i + 1}`, kind }))
    const inputs = info('audioinput')
    const outputs = info('audiooutput')
    const selected = media.selected()
    let fallback: { kind: DeviceKind; from: string; to: string } | null = null
    for (const kind of ['mic', 'speaker', 'ringer'] as const) {
      const id = selected[kind]
      const pool = kind === 'mic' ? inputs : outputs
      if (!id || pool.some((d) => d.deviceId === id)) continue
      fallback = { kind, from: id, to: 'default' }
      await media.setDevices({ [kind]: '' }).catch(() => undefined)
    }
    // The default microphone pulled (nothing chosen changed, but the call's microphone is gone), or the
    // fallback above found no microphone to open: try again now, and say so once while there is none.
    let micRestored = false
    try {
      const revived = await media.reviveMic()
      if (revived && !fallback && !micLost) fallback = { kind: 'mic', from: 'default', to: 'default' }
      // Told there was no microphone, the agent is told as plainly that the citizen hears them again.
      micRestored = micLost && revived
      micLost = false
    } catch (err) {
      if (!micLost) driver.report({ type: 'error', error: phoneError('no-microphone', { detail: (err as Error).message }), callId: null, command: null })
      micLost = true
      if (fallback?.kind === 'mic') fallback = null
    }
    const devices: Devices = { inputs, outputs, selected: media.selected() }
    driver.report({ type: 'devices', devices, fallback, ...(micRestored ? { micRestored } : {}) })
  }
  navigator.mediaDevices?.addEventListener?.('devicechange', () => void refresh())
  // A pulled headset may end the call's microphone track before (or without) a devicechange.
  media.onMicEnded = () => void refresh()
  void refresh()
  return refresh
}
