import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import type { RunningHost } from './support/host'
import { bridgeCall, fileDispatchedTicket, openDesk, type Desk } from './support/workbench'
import type { Attempt } from '../../src/shared/ipc/services/training'
import type { Snapshot } from '../../src/shared/ipc/state'

/**
 * The training sandbox with no server at all: in Chromium through the browser
 * host, the agent's phone registers on the phone host's in-page switch, a
 * scenario's simulated citizen rings it (real sip.js signalling, real WebRTC
 * media between local peers), the agent answers with the phone bar, hears the
 * citizen's recorded Mandarin (inbound audio level from getStats), sees the
 * transcript, the screen pop opens the intake form for the call, the agent
 * files and dispatches the ticket and hangs up; the attempt is scored from it.
 */
describe('training sandbox: a simulated citizen calls', () => {
  let desk: Desk
  let host: RunningHost
  let page: Page

  before(async () => {
    desk = await openDesk()
    ;({ host, page } = desk)
  })
  after(() => desk?.close())

  it('rings the agent, carries the citizen voice both ways, and scores the attempt', async () => {
    await page.getByTestId('phone-registration').filter({ hasText: '可接听' }).waitFor({ timeout: 30_000 })
    await page.getByRole('tab', { name: '培训' }).click()
    const card = page.getByTestId('scenario-wage-arrears')
    await card.getByRole('button', { name: '开始模拟来电' }).click()

    // The phone rings with the scenario's caller; the agent answers from the phone bar.
    const callerCard = page.getByRole('region', { name: '来电信息' })
    await callerCard.waitFor({ timeout: 20_000 })
    await page.getByTestId('training-live').filter({ hasText: '振铃中' }).waitFor()
    await page.getByRole('button', { name: '接听', exact: true }).click()

    // The citizen speaks: the transcript fills in and the agent's side receives audio with energy.
    await page.getByTestId('training-live').getByText('你好，我要反映工地拖欠工资的问题。').waitFor({ timeout: 20_000 })
    let heard = 0
    let sent = 0
    for (let i = 0; i < 40 && (heard <= 0.01 || sent <= 0); i++) {
      const snap = await bridgeCall<Snapshot>(host.url, 'system', 'snapshot')
      const q = snap.state.phone.quality[0]
      heard = Math.max(heard, q?.audioLevel ?? 0)
      sent = Math.max(sent, q?.bytesSent ?? 0)
      await new Promise((r) => setTimeout(r, 250))
    }
    assert.ok(heard > 0.01, `agent hears the citizen (inbound audio level ${heard})`)
    assert.ok(sent > 0, 'agent audio is sent to the citizen')
    await page.getByTestId('training-live').getByText('一共欠我一万二千块', { exact: false }).waitFor({ timeout: 30_000 })

    // Screen pop: the intake form was opened for this call with the caller's number.
    await page.getByRole('tab', { name: '受理' }).click()
    await page.getByTestId('screen-pop-number').filter({ hasText: '1234' }).waitFor({ timeout: 15_000 })
    await page.screenshot({ path: '/tmp/training-call-intake.png', fullPage: true })

    // The agent files the ticket for this call while the citizen is on the line: category, words, area, department.
    await fileDispatchedTicket(page, {
      type: '求助',
      category: '拖欠工资',
      content: '来电人反映玉州区城北一建筑工地包工头拖欠三个月工资共一万二千元，临近春节，请求协调支付。',
      areaQuery: 'yzq',
      area: '玉州区',
      department: '市人力资源和社会保障局',
      beforeSubmit: () => page.screenshot({ path: '/tmp/training-call-ticket.png', fullPage: true }).then(() => undefined)
    })

    // The agent hangs up; the attempt ends as closed by the agent and is scored from the ticket.
    await page.getByRole('button', { name: '挂断', exact: true }).click()
    await page.getByRole('tab', { name: '培训' }).click()
    await page.getByTestId('training-live').filter({ hasText: '已结束' }).waitFor({ timeout: 15_000 })
    let attempt: Attempt | undefined
    for (let i = 0; i < 80 && attempt?.score?.total !== 100; i++) {
      attempt = (await bridgeCall<{ items: Attempt[] }>(host.url, 'training', 'attempts', { limit: 5 })).items[0]
      await new Promise((r) => setTimeout(r, 250))
    }
    assert.equal(attempt?.scenarioId, 'wage-arrears')
    assert.equal(attempt?.endedBy, 'agent')
    assert.ok(attempt!.linesSpoken >= 2, `citizen spoke ${attempt!.linesSpoken} lines`)
    assert.equal(attempt!.ticket?.category, '劳动和社会保障/劳动关系/拖欠工资')
    assert.equal(attempt!.ticket?.department, 'rsj')
    assert.equal(attempt!.score!.total, 100, JSON.stringify(attempt!.score))
    // The ticket can be scored after the hang-up: the open list follows the scoring without a reload.
    await page.getByTestId('training-attempts').getByText('承办部门正确', { exact: false }).waitFor({ timeout: 15_000 })
    await page.screenshot({ path: '/tmp/training-attempt.png', fullPage: true })
  })
})
