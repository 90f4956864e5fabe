import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, login, tempDataDir, ticketBody } from '../../../tests/platform/support'
import { startPlatform, type RunningPlatform } from '../platform'

describe('listDispatchCorpus over real HTTP', () => {
  const data = tempDataDir()
  let running: RunningPlatform
  let agent: string

  beforeAll(async () => {
    running = await startPlatform({ port: 0, host: '127.0.0.1', dataDir: data.dir, profile: 'sandbox', seed: 'sandbox', validateResponses: true })
    agent = await login(running.url, 'agent01')
  })
  afterAll(async () => {
    await running?.close()
    data.remove()
  })

  it('pages through filed tickets with category and lead department, leaving confidential ones out', async () => {
    const api = client(running.url, agent)
    const open = await api('POST', '/api/v1/tickets', ticketBody(1, { content: '这是一张公开的工单，小区物业电梯坏了半个月' }), { 'idempotency-key': `corpus-a-${process.pid}` })
    expect(open.status).toBe(201)
    const secret = await api('POST', '/api/v1/tickets', ticketBody(2, { confidential: true, content: '保密工单的诉求内容不应进入训练语料' }), { 'idempotency-key': `corpus-b-${process.pid}` })
    expect(secret.status).toBe(201)
    const items: { id: number; categoryId: string; departmentId: string | null; content: string }[] = []
    let cursor: string | null = null
    do {
      const res = await api('GET', `/api/v1/dispatch/corpus?limit=50${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.status).toBe(200)
      items.push(...res.body.items)
      cursor = res.body.nextCursor
    } while (cursor)
    // The sandbox history plus the new public ticket, each once.
    expect(items.length).toBeGreaterThan(50)
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length)
    expect(items.some((i) => i.content.includes('公开的工单'))).toBe(true)
    expect(items.some((i) => i.content.includes('保密工单'))).toBe(false)
    expect(items.filter((i) => i.departmentId !== null).length).toBeGreaterThan(10)
    // No contact data: only these fields, and not the caller's number.
    expect(Object.keys(items[0]!).sort()).toEqual(['categoryId', 'content', 'createdAt', 'departmentId', 'id', 'number'])
    expect(JSON.stringify(items)).not.toContain('13900000001')
  })

  it('takes only tickets created since a time', async () => {
    const res = await client(running.url, agent)('GET', `/api/v1/dispatch/corpus?since=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`)
    expect(res.status).toBe(200)
    expect(res.body.items.every((i: { content: string }) => !i.content.includes('保密'))).toBe(true)
    expect(res.body.items.length).toBeGreaterThanOrEqual(1)
  })
})
