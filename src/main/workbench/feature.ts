import type { Feature, FeatureContext } from '../features/feature'
import type { workbenchServices, IntakeReference } from '../../shared/ipc/services/workbench'
import { DomainError, type CallContext, type SessionUser } from '../ipc/dispatcher'
import { PlatformError } from '../platform/gateway'
import { maskPhone, maySeeCitizenContact } from '../../shared/api/masking'
import { DraftStore } from './drafts'
import { CallerCache } from './caller-cache'
import { Submissions } from './submissions'
import { buildWorklist } from './worklist'

const REF_KEY = 'workbench.intakeRef'

/** Builds the workbench feature's services (see shared/ipc/services/workbench.ts). */
export async function createWorkbenchFeature(ctx: FeatureContext): Promise<Feature<keyof typeof workbenchServices>> {
  const drafts = new DraftStore(ctx.db, ctx.cipher, ctx.audit)
  const callers = new CallerCache(ctx.db, ctx.cipher)
  const submissions = new Submissions(ctx, drafts)
  const { lock } = ctx
  ctx.derived.register(submissions)

  const userOf = (c: CallContext): SessionUser => {
    if (!c.user) throw new DomainError('unauthenticated', '请先登录', 'Please sign in first')
    return c.user
  }
  const privacyStatus = (c: CallContext) => {
    const user = userOf(c)
    return { locked: lock.isLocked(), lockAfterMs: lock.lockAfterMs, seatId: user.seatId, username: user.username, now: Date.now() }
  }

  async function reference(): Promise<IntakeReference> {
    try {
      const [areas, categories, departments] = await Promise.all([ctx.platform.call('listAreas'), ctx.platform.call('listCategories'), ctx.platform.call('listDepartments')])
      const ref: IntakeReference = { areas: areas.districts, categories: categories.items, departments: departments.items.map((d) => ({ id: d.id, name: d.name })) }
      await ctx.db.call('meta.set', { key: REF_KEY, value: JSON.stringify(ref) })
      return ref
    } catch (err) {
      // Offline: the copy from the last time the platform answered (reference data, not citizen data).
      const saved = await ctx.db.call('meta.get', { key: REF_KEY })
      if (saved) return JSON.parse(saved) as IntakeReference
      throw new DomainError('unavailable', '无法连接热线平台，分类和区域暂不可用', `Categories and areas unavailable: ${(err as Error).message}`)
    }
  }

  return {
    handlers: {
      drafts: {
        save: async (args, c) => {
          // Saving is allowed while locked: a last keystroke must never be lost to the lock.
          const user = userOf(c)
          lock.touch()
          return drafts.save(user, args)
        },
        get: async (args, c) => {
          const d = await drafts.get(userOf(c), args.id)
          return d ? { id: d.id, callId: d.callId, rev: d.rev, fields: d.fields, createdAt: d.createdAt, updatedAt: d.updatedAt } : null
        },
        list: async (args, c) => ({ items: await drafts.list(userOf(c), args.callId) }),
        discard: async (args, c) => {
          const user = userOf(c)
          await drafts.close(user, args.id, 'discarded', null)
          await ctx.audit.record(user.username, 'draft.discard', `draft:${args.id}`, null)
          return null
        }
      },
      tickets: {
        submit: async (args, c) => submissions.submit(userOf(c), args.draftId),
        get: async (args, c) => {
          const user = userOf(c)
          try {
            const ticket = await ctx.platform.call('getTicket', { params: { id: args.id } })
            await ctx.audit.record(user.username, 'ticket.view', `ticket:${args.id}`, null)
            return ticket
          } catch (err) {
            if (err instanceof PlatformError && err.status === 404) throw new DomainError('bad_request', '找不到该工单', 'No such ticket')
            if (err instanceof PlatformError && err.status === 403) throw new DomainError('forbidden', '当前角色无权查看该工单', 'Your role may not see this ticket')
            throw new DomainError('unavailable', '无法连接热线平台，请稍后重试', 'The platform cannot be reached')
          }
        }
      },
      callerHistory: {
        lookup: async (args, c) => {
          const user = userOf(c)
          let view = await callers.lookup(args.phone)
          if (args.source === 'platform') {
            try {
              view = await callers.store(await ctx.platform.call('getCallerHistory', { params: { phone: args.phone } }))
            } catch (err) {
              ctx.log.warn('workbench: caller history from the platform failed; showing the cache', { error: (err as Error).message })
            }
          }
          await ctx.audit.record(user.username, 'caller.view', `caller:${callers.indexOf(args.phone)}`, { source: view?.source ?? args.source })
          if (!view) return null
          const sees = maySeeCitizenContact(user.roles, { confidential: false, isCreator: false })
          return { ...view, phone: sees ? args.phone : maskPhone(args.phone), masked: !sees }
        }
      },
      worklist: {
        list: async (_args, c) => buildWorklist(ctx, drafts, userOf(c))
      },
      intakeRef: {
        get: async (_args, c) => {
          userOf(c)
          return reference()
        }
      },
      privacy: {
        status: (_args, c) => privacyStatus(c),
        activity: (_args, c) => {
          lock.touch()
          return privacyStatus(c)
        },
        lock: (_args, c) => {
          lock.lock()
          return privacyStatus(c)
        },
        unlock: async (args, c) => {
          const user = userOf(c)
          // The platform checks the password without opening a second session; if it cannot be reached, the
          // password this session signed in with (held in memory as a scrypt hash) unlocks instead.
          let offline = false
          try {
            await ctx.platform.call('verifyPassword', { body: { password: args.password } })
          } catch (err) {
            // 403 wrong_password or a malformed one: the platform has answered. Anything else (no answer, 5xx,
            // an expired platform session) says nothing about the password.
            const refused = err instanceof PlatformError && (err.status === 403 || err.status === 400)
            if (refused || !(await ctx.session.matchesSignInPassword(args.password))) {
              await ctx.audit.record(user.username, 'privacy.unlock_failed', null, null)
              throw new DomainError('unauthenticated', '密码错误，无法解锁', 'Wrong password')
            }
            offline = true
          }
          lock.unlock()
          await ctx.audit.record(user.username, 'privacy.unlock', null, offline ? { checkedBy: 'sign-in password (platform unreachable)' } : null)
          return privacyStatus(c)
        }
      }
    },
    // Its submissions are swept by core's derived changes, which stop before any feature.
    stop() {}
  }
}
