import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { bare } from './support/bare-page'
import { startThreeParties, type ThreeParties } from './support/three-parties'
import { until } from './support/until'
import { platformUrlOf } from '../e2e/support/host'
import { client, login } from '../platform/support'
import type { Call } from '../../src/shared/api/calls'

/**
 * The platform's call records of transfers, with real SIP (Kamailio + rtpengine): a caller (1002) rings the desk,
 * the agent consults seat 2002 and completes an attended transfer; the next call the agent transfers blind to 2002. Each citizen call is one record with result transferred; the consultation is one
 * outbound record of its own (to 2002, answered); nothing is registered twice.
 */
describe('call records of transfers through Kamailio (Chromium)', { timeout: 240_000 }, () => {
  let t: ThreeParties
  let platform: string
  before(async () => {
    t = await startThreeParties('rig-cdr-')
    platform = platformUrlOf(t.host)
  })
  after(() => t?.stop())

  const card = () => t.ui.getByRole('region', { name: '来电信息' })
  const button = (name: string) => t.ui.getByRole('button', { name, exact: true })
  const calls = async (query: string): Promise<Call[]> => (await client(platform, await login(platform, 'lead01'))('GET', `/api/v1/calls?${query}`)).body.items as Call[]
  const agentId = async () => ((await client(platform)('POST', '/api/v1/auth/login', { username: 'agent01', password: 'sandbox' })).body.user as { id: string }).id
  async function answerCaller(): Promise<void> {
    await bare<number>(t.caller, 'call', '1001')
    await card().filter({ hasText: '来电振铃' }).waitFor({ timeout: 10_000 })
    await button('接听').click()
    await card().filter({ hasText: '通话中' }).waitFor({ timeout: 10_000 })
  }
  /** The caller, transferred, ends up talking to 2002: 2002 hangs up. */
  async function targetHangsUp(): Promise<void> {
    const n = await until('2002 talks to the caller', async () => {
      const count = await bare<number>(t.target, 'count')
      for (let i = count - 1; i >= 0; i--) if ((await bare<{ state: string }>(t.target, 'inbound', i)).state === 'Established') return i + 1
      return null
    }, 15_000)
    await bare(t.target, 'hangup', n - 1)
  }

  it('an attended transfer: the citizen call transferred, the consultation its own outbound record', async () => {
    await t.bridge.call('phone', 'signIn', {})
    await t.bridge.call('phone', 'setReady', {})
    await answerCaller()
    await t.consultSeat()
    const live = (await t.bridge.state()).phone.calls
    const citizen = live.find((c) => c.direction === 'inbound')!
    const consult = live.find((c) => c.linkedTo === citizen.callId)!
    assert.ok((await t.bridge.call('phone', 'completeTransfer', { callId: citizen.callId, consultCallId: consult.callId })).ok)
    await card().waitFor({ state: 'detached', timeout: 15_000 })
    await targetHangsUp()
    const inbound = await until('both citizen calls closed', async () => {
      const list = await calls('callerNumber=1002')
      return list.length && list.every((c) => c.status === 'ended') ? list : null
    })
    assert.equal(inbound.length, 1, 'one record of the call')
    assert.equal(inbound[0]!.result, 'transferred')
    const legs = await until('the consultation closed', async () => {
      const list = (await calls(`agentId=${await agentId()}&limit=50`)).filter((c) => c.dialledNumber === '2002')
      return list.length && list.every((c) => c.status === 'ended') ? list : null
    })
    assert.equal(legs.length, 1, 'one record of the consultation')
    assert.equal(legs[0]!.direction, 'outbound')
    assert.equal(legs[0]!.result, 'answered')
    assert.ok(legs[0]!.answeredAt)
  })
  it('a blind transfer: the citizen call is one record, answered by the agent, result transferred', async () => {
    await until('back to ready after the wrap-up', async () => ((await t.bridge.state()).phone.agent.status === 'ready' ? true : null), 15_000)
    await answerCaller()
    await button('转接').click()
    await t.ui.getByLabel('转接号码/分机/技能组').fill('2002')
    await button('直接转接').click()
    await card().waitFor({ state: 'detached', timeout: 15_000 })
    await targetHangsUp()
    const [record, ...more] = await until('the record is closed', async () => {
      const list = await calls('callerNumber=1002')
      return list.length === 2 && list.every((c) => c.status === 'ended') ? list : null
    })
    assert.equal(more.length, 1, 'one record of each call (this one and the one before)')
    assert.equal(record!.direction, 'inbound')
    assert.equal(record!.result, 'transferred')
    assert.equal(record!.agentId, await agentId())
    assert.ok(record!.answeredAt && record!.endedAt && record!.endedAt > record!.answeredAt)
  })

})
