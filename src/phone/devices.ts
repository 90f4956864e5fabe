import type { DeviceKind, Devices } from '../shared/phone'
import type { BrowserMedia } from './media'
import type { SipJsDriver } from './sipjs-driver'

/**
 * The audio devices as the phone host sees them, reported to main whenever they
 * change (hot-plug) or the agent chooses others. A chosen device that disappears
 * falls back to the system default at once — a live call keeps going on the new
 * microphone — and the fact says so, so the agent is told.
 */
export function startDeviceWatch(driver: SipJsDriver, media: BrowserMedia): () => Promise<void> {
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
    // The default microphone pulled: nothing chosen changed, but the call's microphone is gone.
    if (!fallback && (await media.reviveMic().catch(() => false))) fallback = { kind: 'mic', from: 'default', to: 'default' }
    const devices: Devices = { inputs, outputs, selected: media.selected() }
    driver.report({ type: 'devices', devices, fallback })
  }
  navigator.mediaDevices?.addEventListener?.('devicechange', () => void refresh())
  // A pulled headset may end the call's microphone track before (or without) a devicechange.
  media.onMicEnded = () => void refresh()
  void refresh()
  return refresh
}
