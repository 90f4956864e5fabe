import { execFile, spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { client, login, tempDataDir, until } from '../../tests/platform/support'
import { SESSION_ENDED } from './http/push-sessions'
import { LOGIN_THROTTLE, type LoginThrottlePolicies, type ThrottlePolicy } from './login-throttle'
import { startPlatform, type RunningPlatform, type StartOptions } from './platform'

/** Sign-in over real HTTP (R10): not guessable, not a way to stall the platform, sessions that end everywhere. */
const RELAXED: ThrottlePolicy = { freeFailures: 1000, baseDelayMs: 1000, maxDelayMs: 1000, lockoutAfter: 10_000, lockoutMs: 1000, forgetAfterMs: 60_000 }
const open: { running: RunningPlatform; remove(): void }[] = []

async function platform(options: Partial<StartOptions> = {}): Promise<RunningPlatform> {
  const data = tempDataDir('platform-login-')
  const running = await startPlatform({ port: 0, dataDir: data.dir, profile: 'sandbox', seed: 'sandbox', logRefused: () => {}, ...options })
  open.push({ running, remove: data.remove })
  return running
}
afterEach(async () => {
  for (const p of open.splice(0)) {
    await p.running.close()
    p.remove()
  }
})

const attempt = (base: string, username: string, password: string) => client(base)('POST', '/api/v1/auth/login', { username, password })

/**
 * The probe and the burst run in two child processes, so the only thing on the platform's event loop is the
 * platform and neither side's own work is timed: /health is asked one request after another, from before the
 * burst until after all 100 wrong sign-ins (sent at once) have been answered.
 */
const PROBE = `
const base = process.argv[1]
const health = []
let stop = false
process.stdin.once('data', () => { stop = true; process.stdin.pause() })
await fetch(base + '/health').then((r) => r.text())
console.log('ready')
while (!stop) {
  const t = performance.now()
  await fetch(base + '/health').then((r) => r.text())
  health.push(performance.now() - t)
}
// Ends by itself once stdout is flushed (process.exit could cut a long line short on a pipe).
console.log(JSON.stringify(health.map((ms) => Math.round(ms * 10) / 10)))
`
const BURST = `
const [base, n] = process.argv.slice(1)
const statuses = await Promise.all(Array.from({ length: Number(n) }, (_, i) =>
  fetch(base + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: i % 2 ? 'agent01' : 'nobody' + i, password: 'wrong-' + i }) }).then((r) => r.status)))
console.log(JSON.stringify(statuses))
`

async function healthDuringBurst(base: string, n: number): Promise<{ health: number[]; statuses: number[]; burstMs: number }> {
  const probe = spawn(process.execPath, ['--input-type=module', '-e', PROBE, base], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  probe.stdout.on('data', (d: Buffer) => (out += String(d)))
  const exited = new Promise<void>((resolve) => probe.once('exit', () => resolve()))
  await until(async () => out.includes('ready'), 30_000, 'the /health probe to start')
  const started = performance.now()
  const statuses = await new Promise<number[]>((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', BURST, base, String(n)], { timeout: 150_000 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))))
  )
  const burstMs = performance.now() - started
  probe.stdin.end('stop\n')
  await exited
  return { health: JSON.parse(out.trim().split('\n').pop()!), statuses, burstMs }
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!
const median = (values: number[]) => percentile(values, 50)

describe('sign-in', () => {
  it('keeps /health answering (p95 under 100 ms) while 100 wrong sign-ins arrive at once', { timeout: 180_000 }, async () => {
    // Nothing throttled, so every one of the 100 is hashed: the worst case for the event loop. The platform has
    // served a sign-in and a refusal before, as a running one has.
    const { url } = await platform({ loginThrottle: { account: RELAXED, address: RELAXED } })
    await login(url, 'agent01')
    await attempt(url, 'agent02', 'not-the-password')
    const { health, statuses, burstMs } = await healthDuringBurst(url, 100)
    const p95 = percentile(health, 95)
    const max = Math.max(...health)
    console.log(`/health under a burst of 100 wrong sign-ins: ${health.length} probes over ${burstMs.toFixed(0)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms`)
    expect(statuses.every((s) => s === 401)).toBe(true)
    expect(health.length).toBeGreaterThan(5)
    expect(p95).toBeLessThan(100)
    // The bound on the longest wait is looser than the p95's: on a shared two-core machine a hundred requests
    // landing at once cost the loop up to ~150 ms even when every one is refused without hashing. Hashing on the
    // event loop, as before, held /health while a whole batch of requests was hashed: seconds.
    expect(max).toBeLessThan(1000)
  })

  it('answers an unknown user exactly as a wrong password, after the same scrypt', { timeout: 120_000 }, async () => {
    const { url } = await platform({ loginThrottle: { account: RELAXED, address: RELAXED } })
    const unknown: number[] = []
    const wrong: number[] = []
    for (let i = 0; i < 8; i++) {
      for (const [username, times] of [[`nobody${i}`, unknown], ['agent01', wrong]] as const) {
        const t = performance.now()
        const res = await attempt(url, username, `guess-${i}`)
        times.push(performance.now() - t)
        expect([res.status, res.body]).toEqual([401, { error: 'unauthenticated', message_zh: '用户名或密码错误', message_en: 'wrong username or password' }])
      }
    }
    console.log(`sign-in refusal, median: unknown user ${median(unknown).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms`)
    expect(median(unknown)).toBeGreaterThan(median(wrong) / 2)
    expect(median(unknown)).toBeLessThan(median(wrong) * 2)
  })

  it('slows an account down with growing delays, then locks it out whatever the password, and audits the lockout', async () => {
    const account: ThrottlePolicy = { freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 10_000, lockoutAfter: 5, lockoutMs: 60_000, forgetAfterMs: 60_000 }
    const { url } = await platform({ loginThrottle: { account, address: RELAXED } })
    /** Sends the failures a guesser would, each as soon as the platform lets it; returns every answer. */
    async function guess(username: string) {
      const answers: { status: number; error: string; retryAfterSeconds?: number }[] = []
      for (let i = 0; i < 7; i++) {
        const first = await attempt(url, username, `guess-${i}`)
        answers.push({ status: first.status, error: first.body.error, retryAfterSeconds: first.body.retryAfterSeconds })
        if (first.body.error === 'login_throttled') {
          expect(first.headers.get('retry-after')).toBe(String(first.body.retryAfterSeconds))
          const allowed = await until(async () => {
            const res = await attempt(url, username, `guess-${i}`)
            return res.body.error === 'login_throttled' ? null : res
          }, 20_000)
          answers.push({ status: allowed.status, error: allowed.body.error, retryAfterSeconds: allowed.body.retryAfterSeconds })
        }
      }
      return answers
    }
    const known = await guess('agent01')
    expect(known.map((a) => a.error)).toEqual([
      'unauthenticated',
      'unauthenticated',
      'unauthenticated',
      'login_throttled',
      'unauthenticated',
      'login_throttled',
      'unauthenticated',
      'login_locked',
      'login_locked'
    ])
    // The wait doubles: 1 s after the third failure, 2 s after the fourth.
    expect(known.filter((a) => a.error === 'login_throttled').map((a) => a.retryAfterSeconds)).toEqual([1, 2])
    const rightPassword = await attempt(url, 'agent01', 'sandbox')
    expect([rightPassword.status, rightPassword.body.error]).toEqual([429, 'login_locked'])
    expect(rightPassword.body.message_zh).toContain('锁定')
    // A name with no account goes through the very same steps.
    expect((await guess('nobody')).map((a) => a.error)).toEqual(known.map((a) => a.error))

    const audit = await client(url, await login(url, 'admin01'))('GET', '/api/v1/audit-log?entity=account&limit=10')
    const lockouts = audit.body.items.filter((e: { action: string }) => e.action === 'login.lockout')
    expect(lockouts.map((e: { entityId: string }) => e.entityId).sort()).toEqual(['agent01', 'nobody'])
    expect(JSON.parse(lockouts[0].detail)).toMatchObject({ kind: 'account', failures: 5, address: '127.0.0.1' })
  })

  it('slows an address down across account names, and a right password does not reset it', async () => {
    const address: ThrottlePolicy = { freeFailures: 3, baseDelayMs: 5000, maxDelayMs: 5000, lockoutAfter: 50, lockoutMs: 60_000, forgetAfterMs: 60_000 }
    const { url } = await platform({ loginThrottle: { account: LOGIN_THROTTLE.account, address } satisfies LoginThrottlePolicies })
    for (let i = 0; i < 3; i++) expect((await attempt(url, `name${i}`, 'x')).status).toBe(401)
    expect((await attempt(url, 'agent01', 'sandbox')).status).toBe(200)
    expect((await attempt(url, 'name3', 'x')).status).toBe(401)
    const slowed = await attempt(url, 'name4', 'x')
    expect([slowed.status, slowed.body.error, slowed.body.retryAfterSeconds]).toEqual([429, 'login_throttled', 5])
  })
})

describe('push sockets end with their session', () => {
  function connect(base: string, token: string) {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/push?token=${token}`)
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    const hello = new Promise<void>((resolve, reject) => {
      ws.once('message', () => resolve())
      ws.once('error', reject)
    })
    return { ws, closed, hello }
  }

  it('closes a session’s sockets when it signs out', async () => {
    const { url } = await platform()
    const token = await login(url, 'agent01')
    const other = await login(url, 'agent01')
    const mine = connect(url, token)
    const theirs = connect(url, other)
    await Promise.all([mine.hello, theirs.hello])
    expect((await client(url, token)('POST', '/api/v1/auth/logout')).status).toBe(200)
    expect(await mine.closed).toBe(SESSION_ENDED)
    // The same account's other session keeps its socket.
    expect(theirs.ws.readyState).toBe(WebSocket.OPEN)
    theirs.ws.close()
  })

  it('closes a socket when its session expires', async () => {
    let offset = 0
    const { url } = await platform({ clock: () => new Date(Date.now() + offset) })
    const res = await client(url)('POST', '/api/v1/auth/login', { username: 'agent01', password: 'sandbox' })
    // Half a second of the twelve-hour session left.
    offset = Date.parse(res.body.expiresAt) - Date.now() - 500
    const socket = connect(url, res.body.token)
    await socket.hello
    expect(await socket.closed).toBe(SESSION_ENDED)
    expect((await client(url, res.body.token)('GET', '/api/v1/auth/me')).status).toBe(401)
  })
})
