import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../../e2e/support/browser'
import type { RunningHost } from '../../e2e/support/host'
import { startRig, type Rig } from '../../rig/rig'
import { bare, serveBarePage, toneWav, type BareServer } from './bare-page'
import { startDesk, type Bridge } from './desk-setup'
import { until } from './until'

/**
 * The rig with three parties, as the media and recording specs need them: Kamailio + rtpengine with auth, the
 * desk, a caller (1002, a bare sip.js page speaking a 2.7 kHz tone) and a seat to consult (2002, in another
 * browser, speaking 3.3 kHz, auto-answering). Each voice is recognisable, and both lie where the agent's fake
 * microphone (a beep at 500 Hz and its harmonics) is quiet.
 */
export interface ThreeParties {
  rig: Rig
  browser: Browser
  browser2: Browser
  server: BareServer
  host: RunningHost
  ui: Page
  bridge: Bridge
  caller: Page
  target: Page
  /** With `agentTone`: the desk's phone host, a page of its own browser whose microphones speak that tone. */
  phone: Page | null
  /** From the phone bar, during a call: 转接 → 2002 → 咨询转接, until 2002 has answered (the caller is on hold). */
  consultSeat(): Promise<void>
  stop(): Promise<void>
}

export async function startThreeParties(runPrefix: string, opts: { agentTone?: number } = {}): Promise<ThreeParties> {
  const rig = await startRig({ runDir: fs.mkdtempSync(path.join(os.tmpdir(), runPrefix)), auth: true, rtpengine: true })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tones-'))
  const browser = await launchChromium([`--use-file-for-fake-audio-capture=${toneWav(path.join(dir, 'caller.wav'), 2700)}`])
  const browser2 = await launchChromium([`--use-file-for-fake-audio-capture=${toneWav(path.join(dir, 'seat.wav'), 3300)}`])
  const server = await serveBarePage()
  // The agent's own recognisable voice needs a browser of its own for the phone host (fake devices share one file).
  const agentBrowser = opts.agentTone ? await launchChromium([`--use-file-for-fake-audio-capture=${toneWav(path.join(dir, 'agent.wav'), opts.agentTone)}`]) : null
  const { host, ui, bridge, phone } = await startDesk(rig, agentBrowser ?? browser, '1001', { phoneInPage: !!agentBrowser })
  const caller = await browser.newPage()
  await caller.goto(server.url)
  await bare(caller, 'start', '1002', rig.users['1002'], rig.wsUrl, rig.domain)
  const target = await browser2.newPage()
  await target.goto(server.url)
  await bare(target, 'start', '2002', rig.users['2002'], rig.wsUrl, rig.domain)
  await bare(target, 'setAutoAnswer', true)
  return {
    rig,
    browser,
    browser2,
    server,
    host,
    ui,
    bridge,
    caller,
    target,
    phone,
    consultSeat: async () => {
      const button = (name: string) => ui.getByRole('button', { name, exact: true })
      await button('转接').click()
      await ui.getByLabel('转接号码/分机/技能组').fill('2002')
      await button('咨询转接').click()
      await until('2002 answers the consultation', async () => (await bare<number>(target, 'count')) > 0 && (await bare<{ state: string }>(target, 'inbound', 0)).state === 'Established', 15_000)
      await ui.getByRole('region', { name: '来电信息' }).filter({ hasText: '2002' }).filter({ hasText: '通话中' }).waitFor()
    },
    stop: async () => {
      bridge.close()
      await agentBrowser?.close()
      await browser2.close()
      await browser.close()
      await host.stop()
      await server.close()
      await rig.stop()
    }
  }
}
