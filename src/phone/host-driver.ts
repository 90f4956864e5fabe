import { Web } from 'sip.js'
import { desk, transport } from './bridge'
import { startDeviceWatch } from './devices'
import { BrowserMedia } from './media'
import { SipJsDriver } from './sipjs-driver'
import { sandboxTransportFor } from './sandbox/sandbox-calls'

/**
 * Wires the sip.js driver into the phone host page: `driver` commands from main
 * are executed and answered with phone.commandResult; every fact goes to main at
 * once (the incoming-call fact first of all: the screen pop starts from it).
 */
export function startHostDriver(): SipJsDriver {
  const media = new BrowserMedia()
  const driver = new SipJsDriver({
    media,
    sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(media.mediaStreamFactory),
    events: window,
    transportFor: sandboxTransportFor,
    log: (level, message, data) => console[level === 'info' ? 'log' : level](`[phone] ${message}`, data ?? '')
  })
  driver.onFact((fact) => void desk.phone.fact(fact))
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
  ;(window as unknown as { __phone?: unknown }).__phone = { driver, media }
  return driver
}
