import { desk, transport } from './bridge'
import { startHostDriver } from './host-driver'
import { startQualitySampler } from './quality-sampler'
import { startSandboxCalls } from './sandbox/sandbox-calls'

/**
 * The phone host: a hidden page owned by main. It announces itself, then sends
 * heartbeats so main knows it is alive (and restarts it when it is not). The
 * SIP user agent, media and mixer live here (see PhoneDriver).
 */
const BUNDLE = 'phone-host/1'
let timer: ReturnType<typeof setInterval> | null = null

async function announce(): Promise<void> {
  const res = await desk.phoneHost.hello({ userAgent: navigator.userAgent.slice(0, 512), bundle: BUNDLE })
  if (!res.ok) {
    setTimeout(() => void announce(), 1000)
    return
  }
  if (timer) clearInterval(timer)
  timer = setInterval(() => void desk.phoneHost.heartbeat({ at: Date.now() }), res.value.heartbeatMs)
  document.getElementById('status')!.textContent = `话机宿主已连接 (phone host connected, heartbeat ${res.value.heartbeatMs} ms)`
}

// The softphone: sip.js behind the PhoneDriver port, commanded by main.
startQualitySampler(startHostDriver())
// The training sandbox's simulated citizens (they only ever ring an account on sandbox.invalid).
startSandboxCalls()

transport.onEvent((event) => {
  if (event.kind === 'phone-command' && event.command.type === 'reload') location.reload()
})
// After the link to main comes back (main restarted), announce again.
transport.onReconnect(() => void announce())
void announce()
