import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { platformUrlOf, type RunningHost } from './support/host'
import { bridgeCall, fileDispatchedTicket, openDesk, ringSandboxCall, type Desk } from './support/workbench'
import { client, login, until } from '../platform/support'
import type { Snapshot } from '../../src/shared/ipc/state'
import type { Call } from '../../src/shared/api/calls'

/**
 * The call detail record, in Chromium through the browser host with the sandbox's embedded platform: a simulated
 * citizen calls (real sip.js and WebRTC), the agent answers from the phone bar, files a ticket for the call and
 * hangs up; the platform's GET /api/v1/calls then holds exactly one record of that call, inbound, with the agent,
 * its answer and end times, result answered, the ticket, and the call's recording attached to that same record.
 * A second citizen's call the agent rejects (拒接) is recorded as rejected.
 */
describe('call records: every call the softphone handles is on the platform', () => {
  let desk: Desk
  let host: RunningHost
  let page: Page
  let platform: string

  const started = Date.now()
  before(async () => {
    desk = await openDesk()
    ;({ host, page } = desk)
    platform = platformUrlOf(host)
  })
  after(() => desk?.close())

  const snapshot = () => bridgeCall<Snapshot>(host.url, 'system', 'snapshot')
  const ring = (scenario: string) => ringSandboxCall(page, scenario)
  async function callsFrom(number: string): Promise<Call[]> {
    const lead = client(platform, await login(platform, 'lead01'))
    return (await lead('GET', `/api/v1/calls?callerNumber=${number}`)).body.items as Call[]
  }

  it('an answered call with a ticket: one record with the agent, times, result, ticket and its recording', async () => {
    const agent = (await client(platform)('POST', '/api/v1/auth/login', { username: 'agent01', password: 'sandbox' })).body.user as { id: string }
    await ring('pension-question')
    // Registered on the platform as soon as it rings, before anyone answers.
    const ringing = await until(async () => (await callsFrom('18977561234')).find((c) => c.status === 'ringing') ?? null, 15_000)
    assert.equal(ringing.agentId, agent.id)

    await page.getByRole('button', { name: '接听', exact: true }).click()
    await page.getByTestId('training-live').getByText('灵活就业人员怎么交养老保险', { exact: false }).waitFor({ timeout: 20_000 })
    await page.getByRole('tab', { name: '受理' }).click()
    await page.getByTestId('screen-pop-number').filter({ hasText: '1234' }).waitFor({ timeout: 15_000 })
    await fileDispatchedTicket(page, {
      type: '咨询',
      category: '养老保险',
      contactName: '陈女士',
      content: '来电人咨询灵活就业人员如何缴纳养老保险以及最低缴费标准，请人社部门答复。',
      areaQuery: 'yzq',
      area: '玉州区',
      department: '市人力资源和社会保障局'
    })
    await page.getByRole('button', { name: '挂断', exact: true }).click()
    await until(async () => (await snapshot()).state.phone.calls.length === 0 || null, 15_000)

    // The ticket is numbered, the recording uploaded: both end up on the call's one record.
    const record = await until(async () => {
      const calls = await callsFrom('18977561234')
      return calls.length === 1 && calls[0]!.ticketId !== null && calls[0]!.recordingId !== null ? calls[0]! : null
    }, 40_000)
    assert.equal(record.direction, 'inbound')
    assert.equal(record.dialledNumber, '12345')
    assert.equal(record.agentId, agent.id)
    assert.equal(record.status, 'ended')
    assert.equal(record.result, 'answered')
    assert.ok(record.answeredAt && record.endedAt, 'answer and end times')
    assert.ok(Date.parse(record.endedAt) - Date.parse(record.answeredAt) > 3000, `talked ${record.answeredAt} → ${record.endedAt}`)
    assert.ok(Date.parse(record.answeredAt) >= Date.parse(record.queuedAt))

    const lead = client(platform, await login(platform, 'lead01'))
    const ticket = (await lead('GET', `/api/v1/tickets/${record.ticketId}`)).body as { title: string }
    assert.match(ticket.title, /来电人咨询灵活就业人员/)
    const recording = (await lead('GET', `/api/v1/recordings/${record.recordingId}`)).body as { callId: number }
    assert.equal(recording.callId, record.id, 'the recording is attached to the same call record')
    // One record of the call in all: no second one registered by the upload.
    const mine = (await lead('GET', `/api/v1/calls?agentId=${agent.id}&limit=50`)).body.items as Call[]
    assert.equal(mine.filter((c) => c.callerNumber === '18977561234').length, 1)
  })

  it('a call the agent rejects is recorded as rejected', async () => {
    await ring('noise-night')
    await page.getByRole('button', { name: '拒接', exact: true }).click()
    const record = await until(async () => (await callsFrom('07752345678')).find((c) => c.status === 'ended') ?? null, 20_000)
    assert.equal(record.result, 'rejected')
    assert.equal(record.answeredAt, null)
    assert.equal(record.direction, 'inbound')
    assert.equal((await callsFrom('07752345678')).length, 1)
    // The team lead's figures count them: two citizen calls offered since the spec began, one answered.
    const lead = client(platform, await login(platform, 'lead01'))
    const range = `from=${encodeURIComponent(new Date(started).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`
    const stats = (await lead('GET', `/api/v1/statistics?${range}`)).body as { calls: { offered: number; answered: number; answerRate: number; lossRate: number } }
    assert.deepEqual([stats.calls.offered, stats.calls.answered, stats.calls.answerRate, stats.calls.lossRate], [2, 1, 0.5, 0.5])
  })

  it('a 回访 callback: an outbound record presenting 12345, answered, with the ticket it calls back about', async () => {
    const lead = client(platform, await login(platform, 'lead01'))
    const ticket = (await lead('GET', '/api/v1/tickets?limit=1')).body.items[0] as { id: number }
    await until(async () => ((await snapshot()).state.phone.calls.length === 0 ? true : null), 15_000)
    await bridgeCall(host.url, 'phone', 'dial', { number: '13907750066', purpose: 'callback', ticketId: String(ticket.id) })
    // The sandbox's citizen picks up; the agent hangs up after a moment of talk.
    await until(async () => ((await snapshot()).state.phone.calls.find((c) => c.state === 'established') ? true : null), 20_000)
    await new Promise((r) => setTimeout(r, 1500))
    await page.getByRole('button', { name: '挂断', exact: true }).click()
    const record = await until(async () => {
      const calls = (await lead('GET', '/api/v1/calls?limit=20')).body.items as Call[]
      return calls.find((c) => c.dialledNumber === '13907750066' && c.status === 'ended') ?? null
    }, 20_000)
    assert.equal(record.direction, 'outbound')
    assert.equal(record.callerNumber, '12345')
    assert.equal(record.result, 'answered')
    assert.equal(record.ticketId, ticket.id)
    assert.ok(record.answeredAt)
  })
})
