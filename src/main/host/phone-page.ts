import type { Browser, Page } from 'playwright-core'
import type { Logger } from '../logging'
import type { PhoneHostControl } from '../phone-host/supervisor'
import { CHROMIUM_FLAGS, FAKE_MEDIA_FLAGS } from './chromium'

/**
 * The browser host's equivalent of Electron's hidden phone window: a headless
 * Chromium page the host owns, restarted when the supervisor says so or when
 * the page crashes. Needs playwright-core (a dev dependency: the browser host is
 * for development and tests; users run Electron).
 */
export async function launchPhonePage(opts: { url: string; executablePath: string; fakeMedia: boolean; log: Logger; extraArgs?: string[] }): Promise<PhoneHostControl & { close(): Promise<void>; page(): Page | null }> {
  const { chromium } = await import('playwright-core')
  const browser: Browser = await chromium.launch({
    executablePath: opts.executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', ...CHROMIUM_FLAGS, ...(opts.fakeMedia ? FAKE_MEDIA_FLAGS : []), ...(opts.extraArgs ?? [])]
  })
  const context = await browser.newContext()
  let page: Page | null = null
  let closing = false

  const open = async () => {
    if (closing) return
    const old = page
    page = null
    await old?.close().catch(() => undefined)
    const p = await context.newPage()
    page = p
    p.on('crash', () => {
      opts.log.error('phone host page crashed; reopening')
      void open()
    })
    p.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') opts.log.warn('phone host console', { text: msg.text().slice(0, 500) })
    })
    await p.goto(opts.url)
  }
  await open()
  return {
    restart: () => open(),
    page: () => page,
    close: async () => {
      closing = true
      await browser.close().catch(() => undefined)
    }
  }
}
