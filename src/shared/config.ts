import { z } from 'zod'

/**
 * The desktop's one configuration file. Strict objects: an unknown key is almost
 * always a typo of a real one, and silently ignoring it would start the app
 * half-configured.
 */
const httpUrl = z.url({ protocol: /^https?$/, error: '必须是 http:// 或 https:// 地址 (must be an http(s) URL)' })
const wsUrl = z.url({ protocol: /^wss?$/, error: '必须是 ws:// 或 wss:// 地址 (must be a ws(s) URL)' })

export const ProfileSchema = z.enum(['sandbox', 'production'])
export type Profile = z.infer<typeof ProfileSchema>

export const SipConfigSchema = z.strictObject({
  wsUrl,
  user: z.string().min(1, '不能为空 (required)'),
  password: z.string().min(1, '不能为空 (required)'),
  domain: z.string().min(1, '不能为空 (required)'),
  /** Number presented on outbound callbacks (From / P-Asserted-Identity). */
  callerId: z.string().regex(/^\d{3,20}$/, '只能是 3–20 位数字 (3–20 digits)').default('12345'),
  /** Where 满意度评价 transfers the caller at the end of a call (IVR survey extension). */
  surveyTarget: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '只能是分机号或名称 (an extension or name)').default('survey'),
  /** 话后整理 (after-call work) length in seconds. */
  acwSeconds: z.number().int().min(0).max(600).default(30),
  /** How the keypad's digits are sent: SIP INFO (application/dtmf-relay) or RFC 4733 telephone-events in the RTP. */
  dtmfMode: z.enum(['info', 'rfc4733'], { error: '只能是 info 或 rfc4733 (info or rfc4733)' }).default('info')
})

/** Call recording (issue 4): on by default; local copies of uploaded recordings are kept this many days. */
export const RecordingConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  retentionDays: z.number().int().min(0).max(3650).default(30)
})

/**
 * What protects the data key (see the README's 本机数据保护): 'auto' uses the OS keyring, and without one the sandbox
 * keeps a key file beside its data while production refuses to start; 'os-keyring' requires the keyring; 'key-file'
 * uses an administrator's 0600 file at `keyFile` (a protected path or removable media); 'local-file' accepts a key
 * file beside the data, protected by file permissions alone.
 */
export const KeyStorageSchema = z.enum(['auto', 'os-keyring', 'key-file', 'local-file'], {
  error: '只能是 auto、os-keyring、key-file 或 local-file (auto, os-keyring, key-file or local-file)'
})
export type KeyStorage = z.infer<typeof KeyStorageSchema>

export const SecurityConfigSchema = z
  .strictObject({
    keyStorage: KeyStorageSchema.default('auto'),
    keyFile: z.string().min(1, '不能为空 (required)').optional()
  })
  .superRefine((s, ctx) => {
    if (s.keyStorage === 'key-file' && !s.keyFile) ctx.addIssue({ code: 'custom', path: ['keyFile'], message: 'keyStorage 为 key-file 时必须指定密钥文件路径 (key-file needs security.keyFile)' })
    if (s.keyStorage !== 'key-file' && s.keyFile) ctx.addIssue({ code: 'custom', path: ['keyFile'], message: '只在 keyStorage 为 key-file 时使用 (only used with keyStorage "key-file")' })
  })

export const ConfigSchema = z
  .strictObject({
    profile: ProfileSchema,
    /** Where the SQLite files, logs and recordings live. Defaults to a per-profile folder under the user's data dir. */
    dataDir: z.string().min(1, '不能为空 (required)').optional(),
    platform: z.strictObject({ url: httpUrl }).optional(),
    sip: SipConfigSchema.optional(),
    updater: z.strictObject({ url: httpUrl }).optional(),
    /** Minutes without input before the workbench locks (R10). */
    idleLockMinutes: z.number().int().min(1).max(240).default(10),
    recording: RecordingConfigSchema.prefault({}),
    security: SecurityConfigSchema.prefault({})
  })
  .superRefine((cfg, ctx) => {
    if (cfg.profile !== 'production') return
    // Production never falls back to the embedded sandbox platform or a default SIP account.
    if (!cfg.platform) ctx.addIssue({ code: 'custom', path: ['platform'], message: '生产环境必须配置平台地址 (production needs platform.url)' })
    if (!cfg.sip) ctx.addIssue({ code: 'custom', path: ['sip'], message: '生产环境必须配置 SIP 账号 (production needs sip.*)' })
  })

export type Config = z.infer<typeof ConfigSchema>

/** The sandbox profile needs nothing configured: everything is embedded. */
export const SANDBOX_CONFIG_INPUT = { profile: 'sandbox' } as const

/** Formats zod issues as one line per key: `sip.wsUrl: 必须是 … (…)`. */
export function describeConfigIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.length ? issue.path.join('.') : '(根 root)'
    if (issue.code === 'unrecognized_keys') return `${key}: 未知配置项 unknown key(s): ${issue.keys.join(', ')}`
    return `${key}: ${issue.message}`
  })
}
