import { desk, transport } from './bridge'
import { startDeviceWatch } from './devices'
import { BrowserMedia } from './media'
import { SipJsDriver } from './sipjs-driver'
import { sandboxTransportFor } from './sandbox/sandbox-calls'
import { CallRecorder } from './call-recorder'
import { AnswerPreparation } from './answer-prep'

/**
 * Wires the sip.js driver into the phone host page: `driver` commands from main
 * are executed and answered with phone.commandResult; every fact goes to main at
 * once (the incoming-call fact first of all: the screen pop starts from it).
 */
export function startHostDriver(): SipJsDriver {
  const media = new BrowserMedia()
  const answerPrep = new AnswerPreparation(media.mediaStreamFactory)
  const driver = new SipJsDriver({
    media,
    sessionDescriptionHandlerFactory: answerPrep.factory,
    answerPrep,
    events: window,
    transportFor: sandboxTransportFor,
    log: (level, message, data) => console[level === 'info' ? 'log' : level](`[phone] ${message}`, data ?? '')
  })
  // Every answered call is recorded here and streamed to main in 1 s sealed chunks (see call-recorder.ts).
  const recorder = new CallRecorder(
    (callId) => media.peerFor(callId),
    desk.recordings,
    (m, d) => console.log(`[phone] ${m}`, d ?? ''),
    (callId) => media.micFor(callId)
  )
  driver.onFact((fact) => {
    void desk.phone.fact(fact)
    if (fact.type === 'call') recorder.onCall(fact.call)
  })
  const refreshDevices = startDeviceWatch(driver, media)
  transport.onEvent((event) => {
    if (event.kind !== 'phone-command' || event.command.type !== 'driver') return
    const { id, command } = event.command
    void driver.execute(command).then(async (result) => {
      await desk.phone.commandResult({ id, result })
      if (command.type === 'setDevices') await refreshDevices()
    })
  })
  // For the media tests and the benchmark: the live calls' peer connections.
  ;(window as unknown as { __phone?: unknown }).__phone = { driver, media, recorder }
  return driver
}
