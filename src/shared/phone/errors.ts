import { z } from 'zod'

/**
 * Everything that can go wrong on the phone, each with a message for the agent
 * (zh-CN) and one for logs / the English UI. SIP failures map by status code.
 */
export const PHONE_ERROR_CODES = [
  'not-registered',
  'auth-failed',
  'transport-failed',
  'tls-untrusted',
  'tls-name-mismatch',
  'tls-expired',
  'registration-failed',
  'busy',
  'declined',
  'forbidden',
  'not-found',
  'unavailable',
  'service-unavailable',
  'timeout',
  'cancelled',
  'call-failed',
  'no-such-call',
  'illegal-state',
  'request-pending',
  'media',
  'device-missing',
  'no-microphone',
  'bad-command',
  'bad-message',
  'transfer-failed',
  'blocked',
  'internal'
] as const
export type PhoneErrorCode = (typeof PHONE_ERROR_CODES)[number]

/** A move a state machine refused in the state it was in (e.g. machine 'call', state 'ringing', move 'hold'). */
export const IllegalMoveSchema = z.object({ machine: z.string().max(32), state: z.string().max(64), move: z.string().max(64) })

export const PhoneErrorSchema = z.object({
  code: z.enum(PHONE_ERROR_CODES),
  message: z.string(),
  messageEn: z.string(),
  sipStatus: z.number().int().nullable(),
  detail: z.string().nullable(),
  /** With 'illegal-state': the state and the refused move. */
  illegalMove: IllegalMoveSchema.optional()
})
export type PhoneError = z.infer<typeof PhoneErrorSchema>

const MESSAGES: Record<PhoneErrorCode, [string, string]> = {
  'not-registered': ['话机未注册，暂时无法呼叫或接听', 'phone not registered: cannot place or take calls'],
  'auth-failed': ['注册失败：分机号或密码错误', 'registration failed: wrong extension or password'],
  'transport-failed': ['无法连接呼叫服务器，正在重试', 'cannot reach the SIP server, retrying'],
  'tls-untrusted': [
    '呼叫服务器的证书不受信任（自签名或签发机构未知），无法建立加密连接，请联系管理员',
    "the SIP server's certificate is not trusted (self-signed or unknown issuer): no secure connection, contact your administrator"
  ],
  'tls-name-mismatch': [
    '呼叫服务器的证书与服务器地址不符，无法建立加密连接，请联系管理员',
    "the SIP server's certificate does not match its address: no secure connection, contact your administrator"
  ],
  'tls-expired': [
    '呼叫服务器的证书已过期或尚未生效，无法建立加密连接，请联系管理员（也请核对本机时间）',
    "the SIP server's certificate has expired or is not yet valid: no secure connection, contact your administrator (and check this computer's clock)"
  ],
  'registration-failed': ['注册失败，正在重试', 'registration failed, retrying'],
  busy: ['对方忙', 'the callee is busy'],
  declined: ['对方拒绝接听', 'the callee declined the call'],
  forbidden: ['无权呼叫该号码', 'not allowed to call this number'],
  'not-found': ['号码不存在或对方未登录', 'number does not exist or is not signed in'],
  unavailable: ['对方暂时无法接通', 'the callee is temporarily unavailable'],
  'service-unavailable': ['呼叫服务暂时不可用，请稍后再试', 'call service temporarily unavailable, try again later'],
  timeout: ['呼叫超时，对方无应答', 'call timed out: no answer'],
  cancelled: ['呼叫已取消', 'call cancelled'],
  'call-failed': ['呼叫失败', 'call failed'],
  'no-such-call': ['该通话已不存在', 'no such call'],
  'illegal-state': ['当前通话状态下不能执行此操作', 'not possible in the current call state'],
  'request-pending': ['上一个操作尚未完成，请稍候', 'the previous request is still in progress'],
  media: ['媒体协商失败或麦克风不可用', 'media negotiation failed or microphone unavailable'],
  'device-missing': ['所选音频设备不可用，已切换到默认设备', 'selected audio device unavailable: switched to the default'],
  'no-microphone': ['没有可用的麦克风，对方听不到您的声音（通话仍保持），请插入耳麦', 'no microphone available: the other party cannot hear you (the call stays up); plug in a headset'],
  'bad-command': ['无效的话机指令', 'invalid phone command'],
  'bad-message': ['收到无法处理的信令消息，已忽略', 'received an unusable SIP message: ignored'],
  'transfer-failed': ['转接失败，通话已恢复', 'transfer failed: the call is back'],
  blocked: ['该号码已被拦截', 'number is blocked'],
  internal: ['话机内部错误', 'internal phone error']
}

export function phoneError(code: PhoneErrorCode, opts: { sipStatus?: number | null; detail?: string | null } = {}): PhoneError {
  const [message, messageEn] = MESSAGES[code]
  const status = opts.sipStatus ?? null
  const suffix = status !== null ? ` (${status})` : ''
  return { code, message: `${message}${suffix}`, messageEn: `${messageEn}${suffix}`, sipStatus: status, detail: opts.detail?.slice(0, 500) ?? null }
}

/** The error an agent should see for a final SIP failure status on a call. */
export function callFailure(status: number, reasonPhrase?: string): PhoneError {
  const detail = reasonPhrase ?? null
  const code: PhoneErrorCode =
    status === 486 || status === 600
      ? 'busy'
      : status === 603
        ? 'declined'
        : status === 403
          ? 'forbidden'
          : status === 404 || status === 604 || status === 484
            ? 'not-found'
            : status === 480
              ? 'unavailable'
              : status === 503 || status === 502 || status === 500
                ? 'service-unavailable'
                : status === 408
                  ? 'timeout'
                  : status === 487
                    ? 'cancelled'
                    : status === 401 || status === 407
                      ? 'auth-failed'
                      : status === 491
                        ? 'request-pending'
                        : status === 488 || status === 415 || status === 606
                          ? 'media'
                          : 'call-failed'
  return phoneError(code, { sipStatus: status, detail })
}

/** The error for a final failure answer to REGISTER. */
export function registrationFailure(status: number, reasonPhrase?: string): PhoneError {
  const code: PhoneErrorCode = status === 401 || status === 407 || status === 403 ? 'auth-failed' : 'registration-failed'
  return phoneError(code, { sipStatus: status, detail: reasonPhrase ?? null })
}
