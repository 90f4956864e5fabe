import type { ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { client, login, startCli, tempDataDir, ticketBody } from './support'

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})

describe('platform killed with SIGKILL in the middle of a burst of createTicket', () => {
  it('keeps every ticket exactly once after restart and retry with the same keys', async () => {
    const data = tempDataDir('platform-kill-')
    try {
      const first = await startCli(data.dir)
      children.push(first.child)
      const token = await login(first.url, 'agent01')
      const api = client(first.url, token)
      const N = 120
      const requests = Array.from({ length: N }, (_, i) => ({ key: `burst-key-${i}`, body: ticketBody(i, { citizen: { name: '突发测试', phone: '13955550000' }, content: `第 ${i} 张：断电测试工单内容` }) }))
      // Fire the whole burst, kill -9 once a handful have been answered.
      let answered = 0
      const inFlight = requests.map((r) =>
        api('POST', '/api/v1/tickets', r.body, { 'idempotency-key': r.key }).then(
          (res) => {
            answered++
            return res.status
          },
          () => 0
        )
      )
      while (answered < 10) await new Promise((r) => setTimeout(r, 2))
      first.child.kill('SIGKILL')
      const statuses = await Promise.all(inFlight)
      expect(statuses.filter((s) => s === 0).length).toBeGreaterThan(0) // some really were cut off

      const second = await startCli(data.dir)
      children.push(second.child)
      const token2 = await login(second.url, 'agent01')
      const api2 = client(second.url, token2)
      const ids = new Map<string, number>()
      for (const r of requests) {
        const res = await api2('POST', '/api/v1/tickets', r.body, { 'idempotency-key': r.key })
        expect(res.status).toBe(201)
        ids.set(r.key, res.body.id)
        expect(res.body.content).toBe(r.body.content)
      }
      expect(new Set(ids.values()).size).toBe(N)
      const history = await api2('GET', '/api/v1/callers/13955550000/history')
      expect(history.body.totals.tickets).toBe(N)
      second.child.kill('SIGTERM')
      const code = await new Promise((r) => second.child.once('exit', r))
      expect(code).toBe(0)
    } finally {
      data.remove()
    }
  })
})
