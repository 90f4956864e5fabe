import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { operations, pathFor, type OperationDef } from '../shared/api'
import type { Role } from '../shared/roles'
import { client, login, tempDataDir, ticketBody } from '../../tests/platform/support'
import { startPlatform, type RunningPlatform } from './platform'

const ROLES: Role[] = ['agent', 'team_lead', 'qa', 'trainer', 'admin']
const USER_OF: Record<Role, string> = { agent: 'agent01', team_lead: 'lead01', qa: 'qa01', trainer: 'trainer01', admin: 'admin01' }
const DUMMY_PARAMS = { id: 1, phone: '13900000001', agentId: 'agent02', departmentId: 'zjj' }
let keySeq = 0
const key = () => `test-key-${process.pid}-${++keySeq}`

describe('reference platform over real HTTP', () => {
  const data = tempDataDir()
  let running: RunningPlatform
  let base: string
  const tokens = {} as Record<Role, string>
  const refusals: string[] = []

  beforeAll(async () => {
    running = await startPlatform({ port: 0, host: '127.0.0.1', dataDir: data.dir, profile: 'sandbox', seed: 'sandbox', validateResponses: true, logRefused: (line) => refusals.push(line) })
    base = running.url
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    for (const r of ROLES) tokens[r] = await login(base, USER_OF[r])
  })
  afterAll(async () => {
    await running?.close()
    data.remove()
  })

  it('serves the OpenAPI document with stable operationIds', async () => {
    const res = await client(base)('GET', '/openapi.json')
    expect(res.status).toBe(200)
    expect(JSON.stringify(res.body)).toContain('"operationId":"getCallerHistory"')
  })

  it('checks the role of every operation for every role (and refuses no token)', async () => {
    for (const [id, op] of Object.entries(operations) as [string, OperationDef][]) {
      if (op.access === 'public' || id === 'logout') continue
      const url = pathFor(op.path, DUMMY_PARAMS)
      const anonymous = await client(base)(op.method, url, op.method === 'GET' ? undefined : {}, { 'idempotency-key': key() })
      expect([id, anonymous.status]).toEqual([id, 401])
      for (const role of ROLES) {
        const res = await client(base, tokens[role])(op.method, url, op.method === 'GET' ? undefined : {}, { 'idempotency-key': key() })
        const allowed = op.access === 'signed_in' || (op.access as readonly Role[]).includes(role)
        if (allowed) expect([id, role, res.status]).not.toEqual([id, role, 403])
        else expect([id, role, res.status]).toEqual([id, role, 403])
        expect([id, role, res.status]).not.toEqual([id, role, 401])
      }
    }
  })

  it('creates a ticket once per Idempotency-Key and replays the stored answer', async () => {
    const api = client(base, tokens.agent)
    const k = key()
    const body = ticketBody(1)
    const first = await api('POST', '/api/v1/tickets', body, { 'idempotency-key': k })
    expect(first.status).toBe(201)
    expect(first.body.status).toBe('dispatched')
    const again = await api('POST', '/api/v1/tickets', body, { 'idempotency-key': k })
    expect(again.status).toBe(201)
    expect(again.body.id).toBe(first.body.id)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const reused = await api('POST', '/api/v1/tickets', ticketBody(2), { 'idempotency-key': k })
    expect(reused.status).toBe(422)
    expect(reused.body.error).toBe('idempotency_key_reused')
    const missing = await api('POST', '/api/v1/tickets', ticketBody(3))
    expect(missing.status).toBe(400)
    expect(missing.body.error).toBe('idempotency_key_required')
  })

  it('takes the same fields in another order under one Idempotency-Key as the same request', async () => {
    const api = client(base, tokens.agent)
    const k = key()
    const body = ticketBody(13)
    const first = await api('POST', '/api/v1/tickets', body, { 'idempotency-key': k })
    expect(first.status).toBe(201)
    // The same ticket with every object's fields reversed, nested ones (area, citizen, dispatch) included.
    const reverse = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverse) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k2, x]) => [k2, reverse(x)])) : v
    const reordered = reverse(body)
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(body))
    const again = await api('POST', '/api/v1/tickets', reordered, { 'idempotency-key': k })
    expect([again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([201, first.body.id, 'true'])
    const changed = await api('POST', '/api/v1/tickets', reverse({ ...body, title: '另一张工单' }), { 'idempotency-key': k })
    expect([changed.status, changed.body.error]).toEqual([422, 'idempotency_key_reused'])
  })

  it('answers a stale version with 409 and the current version', async () => {
    const api = client(base, tokens.agent)
    const created = await api('POST', '/api/v1/tickets', ticketBody(4, { submit: false }), { 'idempotency-key': key() })
    expect(created.body.status).toBe('draft')
    const ok = await api('PATCH', `/api/v1/tickets/${created.body.id}`, { version: 1, content: '修改后的内容，已核实地址。' }, { 'idempotency-key': key() })
    expect(ok.status).toBe(200)
    expect(ok.body.version).toBe(2)
    const stale = await api('PATCH', `/api/v1/tickets/${created.body.id}`, { version: 1, content: '另一个坐席的旧版本修改。' }, { 'idempotency-key': key() })
    expect(stale.status).toBe(409)
    expect(stale.body).toMatchObject({ error: 'conflict', currentVersion: 2 })
    expect(stale.body.message_zh).toContain('当前版本 2')
  })

  it('walks a ticket through dispatch, co-handling, extension, sign, handle, review, callback and close', async () => {
    const agent = client(base, tokens.agent)
    const lead = client(base, tokens.team_lead)
    const post = (api: typeof agent, id: number, action: string, body: object) => api('POST', `/api/v1/tickets/${id}/${action}`, body, { 'idempotency-key': key() })
    let t = (await agent('POST', '/api/v1/tickets', ticketBody(5), { 'idempotency-key': key() })).body
    t = (await post(agent, t.id, 'co-handlers', { version: t.version, departmentId: 'yzq' })).body
    expect(t.departments).toHaveLength(2)
    const later = new Date(Date.now() + 20 * 86400_000).toISOString()
    t = (await post(lead, t.id, 'extend', { version: t.version, departmentId: 'scjgj', newDeadline: later, reason: '需现场核查' })).body
    expect(t.deadline).toBe(later)
    const early = await post(lead, t.id, 'handle', { version: t.version, departmentId: 'scjgj', reply: '已处理' })
    expect(early.status).toBe(409)
    t = (await post(lead, t.id, 'sign', { version: t.version, departmentId: 'scjgj' })).body
    expect(t.status).toBe('signed')
    t = (await post(lead, t.id, 'handle', { version: t.version, departmentId: 'scjgj', reply: '已约谈经营者，同意退还剩余费用。' })).body
    expect(t.status).toBe('handled')
    t = (await post(lead, t.id, 'review', { version: t.version, approved: true })).body
    expect(t.status).toBe('reviewed')
    const tasks = await agent('GET', '/api/v1/callbacks?status=pending&limit=200')
    const task = tasks.body.items.find((c: { ticketId: number }) => c.ticketId === t.id)
    expect(task).toBeTruthy()
    const noReason = await agent('POST', `/api/v1/callbacks/${task.id}/result`, { result: 'reached', satisfaction: 'dissatisfied' }, { 'idempotency-key': key() })
    expect(noReason.status).toBe(400)
    expect(noReason.body.issues[0]).toMatchObject({ path: 'dissatisfactionReason', message_zh: '不满意时必须填写原因' })
    const done = await agent('POST', `/api/v1/callbacks/${task.id}/result`, { result: 'reached', satisfaction: 'satisfied' }, { 'idempotency-key': key() })
    expect(done.body.status).toBe('done')
    t = (await agent('GET', `/api/v1/tickets/${t.id}`)).body
    expect(t.status).toBe('callback')
    t = (await post(agent, t.id, 'close', { version: t.version })).body
    expect(t.status).toBe('closed')
    expect(t.timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'dispatch', 'addCoHandler', 'extend', 'sign', 'handle', 'review', 'callback', 'close'])
  })

  it('rejects bad input with field-level errors in Chinese and English', async () => {
    const api = client(base, tokens.agent)
    const bad = await api('POST', '/api/v1/tickets', { ...ticketBody(6), content: 123, area: { district: '南宁市' }, surprise: true }, { 'idempotency-key': key() })
    expect(bad.status).toBe(400)
    const paths = bad.body.issues.map((i: { path: string }) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['content', 'area.district', 'surprise']))
    for (const issue of bad.body.issues) {
      expect(issue.message_zh).toMatch(/[\u4e00-\u9fff]/)
      expect(issue.message_en).toMatch(/[a-z]/i)
    }
    const town = await api('POST', '/api/v1/tickets', ticketBody(7, { area: { district: '容县', town: '名山街道' } }), { 'idempotency-key': key() })
    expect(town.body.issues[0].path).toBe('area.town')
    const malformed = await api('POST', '/api/v1/tickets', '{"type": "complaint",', { 'idempotency-key': key() })
    expect(malformed.status).toBe(400)
    expect(malformed.body.error).toBe('malformed_json')
    const huge = await api('POST', '/api/v1/tickets', JSON.stringify({ ...ticketBody(8), content: 'x'.repeat(2 * 1024 * 1024) }), { 'idempotency-key': key() })
    expect(huge.status).toBe(413)
    expect(huge.body.error).toBe('payload_too_large')
    const wrongType = await api('POST', '/api/v1/tickets', 'type=complaint', { 'idempotency-key': key(), 'content-type': 'text/plain' })
    expect(wrongType.status).toBe(415)
  })

  it('logs each refused request once, every value from the request escaped', async () => {
    const api = client(base, tokens.agent)
    const evil = 'x\n[platform] forged line \u001b[31m'
    refusals.length = 0
    const bad = await api('POST', '/api/v1/tickets', { ...ticketBody(14), [evil]: 1 }, { 'idempotency-key': key() })
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toContain(evil)
    const unknown = await api('GET', `/api/v1/no-such/${encodeURIComponent(evil)}?token=secret`)
    expect([unknown.status, unknown.body.error]).toEqual([404, 'not_found'])
    await api('GET', '/api/v1/callers/13900000009x/history')
    expect(refusals).toHaveLength(3)
    expect(refusals[0]).toBe(`refused "POST" "/api/v1/tickets" 400 validation fields=${JSON.stringify([evil])}`)
    expect(refusals[1]).toMatch(/^refused "GET" "\/api\/v1\/no-such\/x%0A%5Bplatform%5D[^"]*" 404 not_found$/)
    // The route, not the URL: neither a token nor a caller's number reaches the log.
    expect(refusals[2]).toBe('refused "GET" "/api/v1/callers/:phone/history" 400 validation fields=["phone"]')
    for (const line of refusals) for (const unwanted of ['\n', '\u001b', 'secret', '13900000009']) expect(line).not.toContain(unwanted)
  })

  it('stores SQL and HTML payloads as inert text', async () => {
    const api = client(base, tokens.agent)
    const payload = `'); DROP TABLE tickets; -- <script>alert(1)</script><img src=x onerror=alert(2)>`
    const created = await api('POST', '/api/v1/tickets', ticketBody(9, { content: payload, title: "Robert'); --" }), { 'idempotency-key': key() })
    expect(created.status).toBe(201)
    const read = await api('GET', `/api/v1/tickets/${created.body.id}`)
    expect(read.body.content).toBe(payload)
    expect(read.body.title).toBe("Robert'); --")
    const search = await api('GET', `/api/v1/knowledge/search?q=${encodeURIComponent(`" OR 1=1 --`)}`)
    expect(search.status).toBe(200)
  })

  it('answers caller history with tickets, calls and flags, and audits the read', async () => {
    const api = client(base, tokens.agent)
    await api('POST', '/api/v1/tickets', ticketBody(10, { citizen: { name: '王女士', phone: '13977770001' } }), { 'idempotency-key': key() })
    const history = await api('GET', '/api/v1/callers/13977770001/history')
    expect(history.status).toBe(200)
    expect(history.body.totals.tickets).toBe(1)
    expect(history.body.flags.hasOpenTicket).toBe(true)
    expect(history.body.areaGuess).toEqual({ district: '玉州区', town: '名山街道' })
    const audit = await client(base, tokens.admin)('GET', '/api/v1/audit-log?entity=caller&entityId=13977770001')
    expect(audit.body.items[0]).toMatchObject({ username: 'agent01', action: 'getCallerHistory' })
  })

  it('masks citizen contact data for QA', async () => {
    const created = await client(base, tokens.agent)('POST', '/api/v1/tickets', ticketBody(11, { citizen: { name: '李先生', phone: '13912345678' } }), { 'idempotency-key': key() })
    const qa = await client(base, tokens.qa)('GET', `/api/v1/tickets/${created.body.id}`)
    expect(qa.body.citizen).toEqual({ name: '李**', phone: '139****5678', masked: true })
  })

  it('paginates with a cursor without gaps or repeats', async () => {
    const api = client(base, tokens.agent)
    const seen = new Set<number>()
    let cursor: string | null = null
    let pages = 0
    do {
      const res: { body: { items: { id: number }[]; nextCursor: string | null } } = await api('GET', `/api/v1/tickets?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
      for (const t of res.body.items) {
        expect(seen.has(t.id)).toBe(false)
        seen.add(t.id)
      }
      cursor = res.body.nextCursor
      pages++
    } while (cursor && pages < 100)
    const total = (await api('GET', '/api/v1/tickets?limit=200')).body.items.length
    expect(seen.size).toBe(total)
    expect((await api('GET', '/api/v1/tickets?cursor=garbage')).status).toBe(400)
  })

  it('pushes events over the WebSocket and replays missed ones from a revision', async () => {
    const token = tokens.agent
    const { latestRevision } = (await client(base, token)('GET', '/api/v1/events?since=0&limit=1')).body
    const received: { type: string; revision?: number }[] = []
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/push?token=${token}&since=${latestRevision}`)
    ws.on('message', (m) => received.push(JSON.parse(String(m))))
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    const created = await client(base, token)('POST', '/api/v1/tickets', ticketBody(12), { 'idempotency-key': key() })
    await client(base, token)('PUT', '/api/v1/agents/me/state', { state: 'ready' }, { 'idempotency-key': key() })
    await waitFor(() => received.some((e) => e.type === 'agent.state'))
    ws.close()
    expect(received[0]).toMatchObject({ type: 'hello', latestRevision })
    const ticketEvent = received.find((e) => e.type === 'ticket.updated') as { payload: { id: number } } | undefined
    expect(ticketEvent?.payload.id).toBe(created.body.id)
    expect(JSON.stringify(received)).not.toContain('13900000001')
    const resync = await client(base, token)('GET', `/api/v1/events?since=${latestRevision}`)
    const revisions = resync.body.events.map((e: { revision: number }) => e.revision)
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b))
    expect(revisions).toEqual(received.filter((e) => e.revision).map((e) => e.revision))
    const refused = new WebSocket(`${base.replace('http', 'ws')}/api/v1/push?token=wrong`)
    const status = await new Promise<number>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))
    expect(status).toBe(401)
  })

  it('delivers SMS through the simulated carrier and reports the status', async () => {
    const api = client(base, tokens.agent)
    const sent = await api('POST', '/api/v1/sms/messages', { templateId: 'ticket_received', phone: '13900000001', variables: { number: 'YL1', days: '5' } }, { 'idempotency-key': key() })
    expect(sent.status).toBe(201)
    expect(sent.body.text).toContain('工单编号YL1')
    await waitFor(async () => (await api('GET', `/api/v1/sms/messages/${sent.body.id}`)).body.status === 'delivered')
    const missing = await api('POST', '/api/v1/sms/messages', { templateId: 'ticket_received', phone: '13900000001', variables: {} }, { 'idempotency-key': key() })
    expect(missing.body.issues[0].path).toBe('variables')
  })

  it('stores recordings and serves byte ranges', async () => {
    const call = await client(base, tokens.agent)('POST', '/api/v1/calls', { direction: 'inbound', callerNumber: '13900000001', dialledNumber: '12345' }, { 'idempotency-key': key() })
    const audio = Buffer.alloc(1000, 7)
    const up = await fetch(`${base}/api/v1/recordings?callId=${call.body.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.agent}`, 'content-type': 'audio/wav', 'idempotency-key': key() },
      body: audio
    })
    expect(up.status).toBe(201)
    const rec = (await up.json()) as { id: number; bytes: number }
    expect(rec.bytes).toBe(1000)
    const part = await fetch(`${base}/api/v1/recordings/${rec.id}/audio`, { headers: { authorization: `Bearer ${tokens.qa}`, range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000')
    expect((await part.arrayBuffer()).byteLength).toBe(100)
    // The consultation leg of the same call is stored under it; the call keeps its recording.
    const leg = await fetch(`${base}/api/v1/recordings?callId=${call.body.id}&leg=consult`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.agent}`, 'content-type': 'audio/wav', 'idempotency-key': key() },
      body: Buffer.alloc(10, 1)
    })
    expect(leg.status).toBe(201)
    expect(((await leg.json()) as { callId: number }).callId).toBe(call.body.id)
    expect((await client(base, tokens.qa)('GET', `/api/v1/calls/${call.body.id}`)).body.recordingId).toBe(rec.id)
    const del = await client(base, tokens.admin)('DELETE', `/api/v1/recordings/${rec.id}`, undefined, { 'idempotency-key': key() })
    expect(del.status).toBe(200)
    expect((await client(base, tokens.qa)('GET', `/api/v1/recordings/${rec.id}`)).status).toBe(404)
  })
})

describe('restarts and profiles', () => {
  it('replays an Idempotency-Key after a restart on the same data directory', async () => {
    const data = tempDataDir()
    try {
      let running = await startPlatform({ port: 0, dataDir: data.dir, profile: 'sandbox', seed: 'sandbox' })
      let token = await login(running.url, 'agent01')
      const body = ticketBody(1)
      const first = await client(running.url, token)('POST', '/api/v1/tickets', body, { 'idempotency-key': 'restart-key-1' })
      await running.close()
      running = await startPlatform({ port: 0, dataDir: data.dir, profile: 'sandbox', seed: 'sandbox' })
      token = await login(running.url, 'agent01')
      const again = await client(running.url, token)('POST', '/api/v1/tickets', body, { 'idempotency-key': 'restart-key-1' })
      expect(again.body.id).toBe(first.body.id)
      const list = await client(running.url, token)('GET', '/api/v1/callers/13900000001/history')
      expect(list.body.totals.tickets).toBe(1)
      await running.close()
    } finally {
      data.remove()
    }
  })

  it('refuses the sandbox seed and sandbox accounts in the production profile', async () => {
    const data = tempDataDir()
    try {
      await expect(startPlatform({ port: 0, dataDir: data.dir, profile: 'production', seed: 'sandbox' })).rejects.toThrow(/production/)
      const sandbox = await startPlatform({ port: 0, dataDir: data.dir + '/s', profile: 'sandbox', seed: 'sandbox' })
      await sandbox.close()
      await expect(startPlatform({ port: 0, dataDir: data.dir + '/s', profile: 'production' })).rejects.toThrow(/sandbox/)
      await expect(startPlatform({ port: 0, dataDir: data.dir + '/p', profile: 'sandbox', host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/loopback/)
    } finally {
      data.remove()
    }
  })
})

async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}
