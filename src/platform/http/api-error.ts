import type { ApiErrorBody, ApiErrorCode, ValidationIssue } from '../../shared/api'

/** A failure with its HTTP status and bilingual body; thrown by handlers, answered by the router. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody
  ) {
    super(body.message_en)
    this.name = 'ApiError'
  }
}

function error(status: number, code: ApiErrorCode, zh: string, en: string, extra: Partial<ApiErrorBody> = {}): ApiError {
  return new ApiError(status, { error: code, message_zh: zh, message_en: en, ...extra })
}

export const errors = {
  validation: (issues: ValidationIssue[]) => error(400, 'validation', '请求内容不符合要求', 'the request failed validation', { issues }),
  /** A single-field validation failure found after the schema passed (e.g. an unknown department). */
  field: (path: string, zh: string, en: string) => error(400, 'validation', '请求内容不符合要求', 'the request failed validation', { issues: [{ path, code: 'custom', message_zh: zh, message_en: en }] }),
  unauthenticated: (zh = '未登录或登录已过期', en = 'not signed in or the session expired') => error(401, 'unauthenticated', zh, en),
  /** A signed-in user's password check failed: 403, not 401, because the session itself is still valid. */
  wrongPassword: () => error(403, 'wrong_password', '密码错误', 'wrong password'),
  forbidden: () => error(403, 'forbidden', '当前角色无权执行此操作', 'your role may not do this'),
  /** Lifting 保密 would show the citizen to everyone: only the filer, team leads and administrators decide it. */
  confidentialityLocked: () =>
    error(
      403,
      'confidentiality_locked',
      '只有受理该工单的话务员、班长或管理员可以更改保密设置',
      'only the agent who filed this ticket, a team lead or an administrator may change whether it is confidential'
    ),
  notFound: (what: string, whatEn: string) => error(404, 'not_found', `${what}不存在`, `${whatEn} not found`),
  /** Too many failed sign-ins for this account or address: wait, then try again. */
  loginThrottled: (seconds: number) =>
    error(429, 'login_throttled', `登录失败次数过多，请 ${seconds} 秒后再试`, `too many failed sign-ins; try again in ${seconds} s`, { retryAfterSeconds: seconds }),
  /** Locked out for a while whatever the password; the lockout is in the audit log. */
  loginLocked: (seconds: number) =>
    error(
      429,
      'login_locked',
      `登录失败次数过多，已临时锁定，请 ${Math.ceil(seconds / 60)} 分钟后再试或联系班长`,
      `too many failed sign-ins: locked for ${Math.ceil(seconds / 60)} min; try later or ask a team lead`,
      { retryAfterSeconds: seconds }
    ),
  conflict: (currentVersion: number) =>
    error(409, 'conflict', `数据已被他人修改（当前版本 ${currentVersion}），请刷新后再改`, `stale version; the current version is ${currentVersion}`, { currentVersion }),
  invalidTransition: (status: string, version: number, zh: string, en: string) =>
    error(409, 'invalid_transition', zh, en, { currentStatus: status, currentVersion: version }),
  idempotencyKeyRequired: () =>
    error(400, 'idempotency_key_required', '变更请求必须带 Idempotency-Key 请求头', 'a mutating request needs an Idempotency-Key header'),
  idempotencyKeyReused: () =>
    error(422, 'idempotency_key_reused', '该 Idempotency-Key 已用于另一个请求', 'this Idempotency-Key was used for a different request'),
  unsupportedMediaType: (expected: string) => error(415, 'unsupported_media_type', `请求体类型应为 ${expected}`, `the body must be ${expected}`),
  rangeNotSatisfiable: () => error(416, 'range_not_satisfiable', '请求的范围超出录音长度', 'the requested range is outside the recording')
}
