import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/main/config/load-config'
import { createCore, type Core } from '../../src/main/core'
import { createMemoryLogger } from '../../src/main/logging'
import type { PlatformEvent } from '../../src/main/platform/push-client'
import { startPlatform } from '../../src/platform'
import { client, login, tempDataDir, ticketBody, until as untilTruthy } from './support'

/**
 * The desktop's push channel against the real reference platform: every event
 * reaches the desk once, in revision order, across a platform restart (reconnect
 * and replay), a desktop restart (resume from the saved revision) and a gap too
 * large to replay (resync through listEvents).
 */
const platformData = tempDataDir('push-platform-')
const deskData = tempDataDir('push-desk-')
let platform: Awaited<ReturnType<typeof startPlatform>>
let port: number
let core: Core
const seen: number[] = []

const until = (fn: () => boolean | Promise<boolean>, ms = 30_000) => untilTruthy(async () => await fn(), ms)

async function startCore(): Promise<Core> {
  const config = parseConfig(
    { profile: 'production', dataDir: deskData.dir, platform: { url: `http://127.0.0.1:${port}` }, sip: { wsUrl: 'ws://127.0.0.1:9', user: 'u', password: 'p', domain: 'd' }, security: { keyStorage: 'local-file' } },
    path.join(deskData.dir, 'config.json')
  )
  const c = await createCore(config, { kind: 'test', version: '0.0.0-test', log: createMemoryLogger() })
  c.onPlatformEvent((e: PlatformEvent) => seen.push(e.revision))
  await c.session.login('agent01', 'sandbox')
  await until(() => c.hub.get('sync').push === 'live')
  return c
}

/** Tickets filed by the team lead's own desk: each commit is one push event. */
async function fileTickets(n: number, from: number): Promise<void> {
  const api = client(`http://127.0.0.1:${port}`, await login(`http://127.0.0.1:${port}`, 'lead01'))
  for (let i = 0; i < n; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, async (_, j) => {
        const res = await api('POST', '/api/v1/tickets', ticketBody(from + i + j), { 'idempotency-key': randomUUID() })
        if (res.status !== 201) throw new Error(`createTicket ${res.status} ${JSON.stringify(res.body)}`)
      })
    )
  }
}

async function latestRevision(): Promise<number> {
  const api = client(`http://127.0.0.1:${port}`, await login(`http://127.0.0.1:${port}`, 'lead01'))
  return (await api('GET', '/api/v1/events?since=0&limit=1')).body.latestRevision as number
}

function expectContiguous(from: number, to: number): void {
  const expected = Array.from({ length: to - from }, (_, i) => from + 1 + i)
  expect(seen.filter((r) => r > from)).toEqual(expected)
}

beforeAll(async () => {
  platform = await startPlatform({ port: 0, host: '127.0.0.1', dataDir: platformData.dir, profile: 'sandbox', seed: 'sandbox' })
  port = Number(new URL(platform.url).port)
  core = await startCore()
}, 60_000)
afterAll(async () => {
  await core?.stop()
  await platform?.close()
  platformData.remove()
  deskData.remove()
})

describe('push channel', () => {
  it('delivers live events once, in order', async () => {
    const from = (await latestRevision()) as number
    await fileTickets(5, 1)
    const to = await latestRevision()
    await until(() => seen.includes(to))
    expectContiguous(from, to)
    expect(core.push.currentRevision()).toBe(to)
  })

  it('reconnects after the platform restarts and replays what it missed', async () => {
    const from = await latestRevision()
    await platform.close()
    await until(() => core.hub.get('sync').push === 'connecting')
    platform = await startPlatform({ port, host: '127.0.0.1', dataDir: platformData.dir, profile: 'sandbox', seed: 'sandbox' })
    await fileTickets(20, 100)
    const to = await latestRevision()
    await until(() => seen.includes(to))
    expectContiguous(from, to)
  }, 60_000)

  it('resumes from its saved revision after a desktop restart, resyncing a gap too large to replay', async () => {
    const from = await latestRevision()
    await until(() => core.push.currentRevision() === from)
    await core.stop()
    // More than the platform replays on connect (PUSH_REPLAY_LIMIT = 1000): the desk must page them.
    await fileTickets(1010, 1000)
    const to = await latestRevision()
    expect(to - from).toBeGreaterThan(1000)
    core = await startCore()
    await until(() => seen.includes(to), 60_000)
    expectContiguous(from, to)
  }, 180_000)
})
