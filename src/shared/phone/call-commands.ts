import { CALL_STATE_LABELS, type CallFlags, type CallState } from './call-state'
import { phoneError, type PhoneError } from './errors'

/**
 * The moves an agent makes on a call, and which of them a call allows now. One rule for both sides: the phone
 * bar offers exactly these buttons (as wazo's `getOptions()` drives its buttons), and the phone refuses any other
 * move with an 'illegal-state' error naming the state and the move (as sip.js throws on an illegal transition).
 *
 * ```
 *  ringing                          answer · reject
 *  answering · dialing · early      hangup
 *  established                      hangup · hold | unhold · mute | unmute · dtmf
 *                                   + blindTransfer · consult           unless in a three-way call
 *                                   + completeTransfer · conference     on a consultation, unless in a three-way call
 *  idle · terminating · terminated  nothing
 * ```
 * Completing a transfer and joining a three-way call are moves of the consultation (the call the agent is
 * talking on when they are offered): their commands name the consulted-about call as `callId` and the
 * consultation as `consultCallId`, and the consultation is the call judged here.
 */
export const CALL_COMMANDS = ['answer', 'reject', 'hangup', 'hold', 'unhold', 'mute', 'unmute', 'dtmf', 'blindTransfer', 'consult', 'completeTransfer', 'conference'] as const
export type CallCommand = (typeof CALL_COMMANDS)[number]

/** Whether a phone command is a move on a call (so the table judges it). */
export function isCallCommand<C extends { type: string }>(command: C): command is Extract<C, { type: CallCommand }> {
  return (CALL_COMMANDS as readonly string[]).includes(command.type)
}

/** What of a call decides its moves (a call snapshot has all of it). */
export interface CallMoveState {
  state: CallState
  flags: CallFlags
  linkedTo: string | null
  conferenceWith?: string | null
}

/** Which moves the call allows now, in the phone bar's order. */
export function allowedCallCommands(call: CallMoveState): CallCommand[] {
  const s = call.state
  if (s === 'ringing') return ['answer', 'reject']
  if (s === 'dialing' || s === 'early' || s === 'answering') return ['hangup']
  if (s !== 'established') return []
  const out: CallCommand[] = ['hangup', call.flags.held ? 'unhold' : 'hold', call.flags.muted ? 'unmute' : 'mute', 'dtmf']
  if (!call.conferenceWith) out.push('blindTransfer', 'consult')
  if (call.linkedTo && !call.conferenceWith) out.push('completeTransfer', 'conference')
  return out
}

/** The call a command's move is judged on: the consultation for completeTransfer and conference, else `callId`. */
export function moveCallId(command: { type: CallCommand; callId: string; consultCallId?: string }): string {
  return (command.type === 'completeTransfer' || command.type === 'conference') && command.consultCallId ? command.consultCallId : command.callId
}

/** Names of the moves for the agent: zh-CN first, English second (as on the phone bar's buttons). */
export const CALL_COMMAND_LABELS: Record<CallCommand, { zh: string; en: string }> = {
  answer: { zh: '接听', en: 'answer' },
  reject: { zh: '拒接', en: 'reject' },
  hangup: { zh: '挂断', en: 'hang up' },
  hold: { zh: '保持', en: 'hold' },
  unhold: { zh: '取回', en: 'retrieve' },
  mute: { zh: '静音', en: 'mute' },
  unmute: { zh: '取消静音', en: 'unmute' },
  dtmf: { zh: '按键', en: 'send digits' },
  blindTransfer: { zh: '直接转接', en: 'blind transfer' },
  consult: { zh: '咨询转接', en: 'consult' },
  completeTransfer: { zh: '完成转接', en: 'complete the transfer' },
  conference: { zh: '三方通话', en: 'start a three-way call' }
}

/** The typed refusal of a move the call does not allow now: which state, which move. */
export function illegalCallMove(call: Pick<CallMoveState, 'state'>, command: CallCommand): PhoneError {
  const state = CALL_STATE_LABELS[call.state] ?? { zh: String(call.state), en: String(call.state) }
  const move = CALL_COMMAND_LABELS[command]
  return {
    ...phoneError('illegal-state', { detail: `${command} in ${call.state}` }),
    message: `当前通话为「${state.zh}」，不能「${move.zh}」`,
    messageEn: `cannot ${move.en} while the call is ${state.en}`,
    illegalMove: { machine: 'call', state: call.state, move: command }
  }
}

/** null when the call allows the move now, else its typed refusal. */
export function refuseCallMove(call: CallMoveState, command: CallCommand): PhoneError | null {
  return allowedCallCommands(call).includes(command) ? null : illegalCallMove(call, command)
}
