import { describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../logging'
import { DomainError, IpcDispatcher, type Handlers, type SessionUser } from './dispatcher'

const agent: SessionUser = { id: 'u1', username: 'agent01', displayName: '话务员一', roles: ['agent'], seatId: 'S01' }

function setup(user: SessionUser | null = null, overrides: Partial<Handlers['session']> = {}) {
  const log = createMemoryLogger()
  const calls: string[] = []
  // Only the services these tests call; the dispatcher never reaches the others.
  const handlers = {
    system: { snapshot: () => ({ revision: 0, state: {} as never }), phoneSnapshot: () => ({ revision: 0, state: {} as never }) },
    session: {
      login: (args) => {
        calls.push(`login:${args.username}`)
        return { user: agent, since: 1 }
      },
      logout: () => null,
      ...overrides
    },
    phoneHost: { hello: () => ({ heartbeatMs: 1000 }), heartbeat: () => null }
  } satisfies Partial<Handlers> as unknown as Handlers
  return { d: new IpcDispatcher(handlers, () => user, log), log, calls }
}

describe('IpcDispatcher', () => {
  it('runs a valid call and returns its value', async () => {
    const { d, calls } = setup()
    const res = await d.handle('ui', 'session', 'login', { username: ' agent01 ', password: 'sandbox' })
    expect(res.ok).toBe(true)
    expect(calls).toEqual(['login:agent01']) // trimmed by the schema
  })

  it('rejects unknown services and methods, including prototype keys, and logs them', async () => {
    const { d, log } = setup()
    for (const [s, m] of [['nope', 'x'], ['session', 'nope'], ['session', 'constructor'], ['__proto__', 'toString'], [42, null]] as const) {
      const res = await d.handle('ui', s, m, {})
      expect(res).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
    }
    expect(log.entries.filter((e) => e.message.includes('unknown method'))).toHaveLength(5)
  })

  it('refuses a method from the wrong window', async () => {
    const { d } = setup()
    expect(await d.handle('ui', 'phoneHost', 'heartbeat', { at: 1 })).toMatchObject({ ok: false, error: { code: 'wrong_caller' } })
    expect(await d.handle('phone', 'session', 'login', { username: 'a', password: 'b' })).toMatchObject({ ok: false, error: { code: 'wrong_caller' } })
  })

  it('rejects malformed arguments with field-level issues and never calls the handler', async () => {
    const { d, calls } = setup()
    for (const args of [{ username: '', password: 'x' }, { username: 'a' }, 'string', [1, 2], { username: 'a', password: 'b', extra: 1 }, { username: 'x'.repeat(65), password: 'b' }]) {
      const res = await d.handle('ui', 'session', 'login', args)
      expect(res.ok).toBe(false)
      if (!res.ok) {
        expect(res.error.code).toBe('bad_request')
        expect(res.error.issues?.length).toBeGreaterThan(0)
      }
    }
    expect(calls).toEqual([])
  })

  it('requires a session where the contract says so', async () => {
    expect(await setup(null).d.handle('ui', 'session', 'logout', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect(await setup(agent).d.handle('ui', 'session', 'logout', {})).toMatchObject({ ok: true })
  })

  it('turns a DomainError into a typed failure and an unexpected throw into a logged internal error', async () => {
    const domain = setup(null, {
      login: () => {
        throw new DomainError('unauthenticated', '工号或密码错误', 'Wrong username or password')
      }
    })
    expect(await domain.d.handle('ui', 'session', 'login', { username: 'a', password: 'b' })).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: '工号或密码错误', messageEn: 'Wrong username or password' }
    })
    const boom = setup(null, {
      login: () => {
        throw new TypeError('boom')
      }
    })
    const res = await boom.d.handle('ui', 'session', 'login', { username: 'a', password: 'b' })
    expect(res).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(res)).not.toContain('boom') // no internals leak to the window
    expect(boom.log.entries.some((e) => e.level === 'error')).toBe(true)
  })

  it('a refused move reaches the window with the state and the move it was refused in', async () => {
    const illegalMove = { machine: 'call', state: 'ringing', move: 'hold' }
    const refused = setup(null, {
      login: () => {
        throw new DomainError('conflict', '当前通话为「振铃」，不能「保持」', 'cannot hold while the call is ringing', undefined, illegalMove)
      }
    })
    expect(await refused.d.handle('ui', 'session', 'login', { username: 'a', password: 'b' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: '当前通话为「振铃」，不能「保持」', messageEn: 'cannot hold while the call is ringing', illegalMove }
    })
  })
})
