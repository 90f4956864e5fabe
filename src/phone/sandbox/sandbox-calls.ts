import scenarioJson from '../../../resources/sandbox/scenarios.json'
import { ScenarioFileSchema } from '../../shared/sandbox/scenario'
import { SANDBOX_SIP_DOMAIN } from '../../shared/sandbox/agent-user'
import { msg } from '../../shared/messages'
import { desk, transport } from '../bridge'
import { LoopbackSipSwitch, LoopbackTransport } from './loopback-sip'
import { startSimulatedCitizen, type SimulatedCitizen } from './simulated-citizen'
import { startSimulatedCallee } from './simulated-callee'

/**
 * The training sandbox inside the phone host: the agent's account on
 * `sandbox.invalid` registers on an in-page switch instead of a WebSocket, and
 * main's 'simulate-call' command makes a scenario's citizen ring it. The audio
 * files are bundled with the page (Vite assets), so no server is needed.
 */
const audioUrls = import.meta.glob('../../../resources/sandbox/audio/*', { query: '?url', import: 'default', eager: true }) as Record<string, string>
const scenarioFile = ScenarioFileSchema.parse(scenarioJson)
const scenarios = scenarioFile.scenarios
const audioUrl = (file: string) => audioUrls[`../../../resources/sandbox/audio/${file}`] ?? `missing:${file}`

export const sandboxSwitch = new LoopbackSipSwitch()

/** For SipJsDriver's `transportFor`: accounts on the sandbox domain use the in-page switch. */
export function sandboxTransportFor(account: { server: string; aor: string }) {
  let host: string
  try {
    host = new URL(account.server).hostname
  } catch {
    return null
  }
  if (host !== SANDBOX_SIP_DOMAIN) return null
  const name = /^sips?:([^@]+)@/.exec(account.aor)?.[1]
  return { transportConstructor: LoopbackTransport, transportOptions: { switch: sandboxSwitch, name } }
}

/**
 * The agent's outbound calls in the sandbox (回访 callbacks, or any number) are
 * answered by the scenario file's callee, so a callback is practised with a
 * real call and the citizen's voice. Only numbers are answered; a registered
 * user (the agent, a calling citizen) is reached as usual.
 */
function answerOutboundCalls(): void {
  const callee = scenarioFile.callee
  if (!callee) return
  sandboxSwitch.onUnknownUser = async (user) => {
    if (!/^\+?\d{3,20}$/.test(user)) return null
    return startSimulatedCallee({
      sw: sandboxSwitch,
      domain: SANDBOX_SIP_DOMAIN,
      number: user,
      callee,
      audioUrl,
      // Main shows the practice callback live in the 培训 tab (what the citizen's phone showed, what they said).
      onEvent: (event) => void desk.training.calleeEvent({ event })
    })
  }
}

export function startSandboxCalls(): void {
  answerOutboundCalls()
  const live = new Map<string, SimulatedCitizen>()
  const report = (attemptId: string, event: Parameters<typeof desk.training.citizenEvent>[0]['event']) => void desk.training.citizenEvent({ attemptId, event })

  transport.onEvent((event) => {
    if (event.kind !== 'phone-command') return
    const command = event.command
    if (command.type === 'end-simulated-call') {
      void live.get(command.attemptId)?.hangup()
      return
    }
    if (command.type !== 'simulate-call') return
    const scenario = scenarios.find((s) => s.id === command.scenarioId)
    if (!scenario) {
      report(command.attemptId, { type: 'ended', by: 'failed', detail: msg('training.ended.noScenario', { id: command.scenarioId }) })
      return
    }
    let ringingSent = false
    startSimulatedCitizen({
      sw: sandboxSwitch,
      domain: SANDBOX_SIP_DOMAIN,
      agentUser: command.agentUser,
      scenario,
      audioUrl,
      onEvent: (e) => {
        if (e.type === 'ringing') return // reported below, with the call's SIP Call-ID
        if (e.type === 'ended') live.delete(command.attemptId)
        if (e.type === 'ended' && e.by === 'rejected' && /^404/.test(String(e.detail?.params?.status ?? ''))) {
          report(command.attemptId, { type: 'ended', by: 'failed', detail: msg('training.ended.agentNotRegistered') })
          return
        }
        if (!ringingSent && e.type !== 'ended') return
        report(command.attemptId, e.type === 'ended' ? { type: 'ended', by: e.by, ...(e.detail ? { detail: e.detail } : {}) } : e)
      }
    })
      .then((citizen) => {
        live.set(command.attemptId, citizen)
        ringingSent = true
        report(command.attemptId, { type: 'ringing', sipCallId: citizen.callId })
        // For the e2e test: what the citizen hears of the agent.
        ;(window as unknown as { __sandboxCitizen?: SimulatedCitizen }).__sandboxCitizen = citizen
      })
      .catch((err: unknown) => report(command.attemptId, { type: 'ended', by: 'failed', detail: msg('training.ended.failed', { reason: String(err instanceof Error ? err.message : err).slice(0, 400) }) }))
  })
}
