import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A fresh temp data directory per test; removed by the returned function. */
export function tempDataDir(prefix = 'platform-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/** A small fetch wrapper for the platform's JSON API on loopback. */
export function client(base: string, token?: string) {
  return async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(base + url, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000)
    })
    const text = await res.text()
    // Tests read response fields directly and assert on them; typing every body would only restate the schemas.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let json: any = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      json = text
    }
    return { status: res.status, body: json, headers: res.headers }
  }
}

export async function login(base: string, username: string, password = 'sandbox'): Promise<string> {
  const res = await client(base)('POST', '/api/v1/auth/login', { username, password })
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.token as string
}

/** A valid createTicket body for the sandbox seed. */
export function ticketBody(n: number, extra: Record<string, unknown> = {}) {
  return {
    type: 'complaint',
    categoryId: '04.01.01',
    area: { district: '玉州区', town: '名山街道' },
    address: `玉州区名山街道人民路${n}号`,
    title: `预付卡退费 ${n}`,
    content: `在健身房办的年卡无法退费，第 ${n} 号测试工单。`,
    citizen: { name: '测试市民', phone: '13900000001' },
    handlingMode: 'dispatch',
    dispatch: { departments: [{ departmentId: 'scjgj', role: 'lead' }], deadline: new Date(Date.now() + 7 * 86400_000).toISOString() },
    ...extra
  }
}

const ROOT = path.resolve(__dirname, '../..')
const CLI = path.join(ROOT, 'src/platform/cli.ts')

/** Starts the CLI as its own process and waits for its one PLATFORM_URL line. */
export function startCli(dataDir: string, port = 0): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', String(port), '--data', dataDir, '--seed', 'sandbox'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`platform did not start: ${out}`)), 30_000)
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d)
      const m = /^PLATFORM_URL=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ child, url: m[1]! })
      }
    })
    child.stderr!.on('data', (d: Buffer) => (out += String(d)))
    child.once('exit', (code) => reject(new Error(`platform exited ${code}: ${out}`)))
  })
}


/**
 * Polls `fn` until it answers something truthy (or times out). A timeout names what was awaited (`what`, else the
 * condition's own source) and where from, so a failure on a loaded CI machine says which wait gave up.
 */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 15_000, what?: string): Promise<T> {
  const from = new Error().stack?.split('\n')[2]?.trim() ?? ''
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) {
      const condition = what ?? String(fn).replace(/\s+/g, ' ').slice(0, 200)
      throw new Error(`timed out after ${ms} ms waiting for ${condition} (${from}); last answer: ${JSON.stringify(v)}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
