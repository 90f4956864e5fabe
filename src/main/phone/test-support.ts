import { StateHub } from '../state/state-hub'
import { initialPhoneState, type AppState } from '../../shared/ipc/state'
import { NO_FLAGS, normaliseCallerNumber, type CallCommand, type CallSnapshot, type PhoneCommand } from '../../shared/phone'

/** For tests of main's phone side: a phone host's call snapshot, an inbound call ringing from `number`, patched. */
export function testSnapshot(callId: string, number: string, patch: Partial<CallSnapshot> = {}, now = Date.now()): CallSnapshot {
  return {
    callId,
    direction: 'inbound',
    state: 'ringing',
    flags: { ...NO_FLAGS },
    peer: normaliseCallerNumber(number),
    peerName: null,
    linkedTo: null,
    conferenceWith: null,
    startedAt: now,
    answeredAt: null,
    endedAt: null,
    endedBy: null,
    cause: null,
    sipCallId: null,
    ...patch
  }
}

/** The topics the phone side reads (session, phone host, phone), with `user` signed in or nobody. */
export function testHub(user: NonNullable<AppState['session']['user']> | null, dataDir = '/tmp'): StateHub {
  return new StateHub({
    app: { version: 't', profile: 'sandbox', runtime: 'test', dataDir, startedAt: 0 },
    session: { user, since: user ? 1 : null },
    phoneHost: { status: 'starting', since: 1, lastHeartbeat: null, restarts: 0, userAgent: null },
    connectivity: { platform: 'online', detail: '', since: 0 },
    sync: { pending: 0, rejected: 0, conflict: 0, derived: 0, lastSyncedAt: null, push: 'off', pushRevision: null },
    phone: initialPhoneState(0),
    notices: []
  } as unknown as AppState)
}

/** A well-formed command for each call move (what the phone bar would send), to try every move on a call. */
export function commandFor(type: CallCommand, callId: string): PhoneCommand {
  if (type === 'dtmf') return { type, callId, digits: '1' }
  if (type === 'blindTransfer' || type === 'consult') return { type, callId, target: '2002' }
  if (type === 'completeTransfer' || type === 'conference') return { type, callId, consultCallId: callId }
  return { type, callId }
}
