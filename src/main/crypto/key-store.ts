import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { KeyStorage, Profile } from '../../shared/config'
import { ensurePrivateDir, tightenFile, writePrivateFileAtomic } from '../private-files'

/**
 * The data key encrypts citizen data at rest (drafts, outbox, cached tickets,
 * recordings). It lives in `<dataDir>/data.key`, wrapped by one protection:
 *
 * - `os-keyring`: Electron's safeStorage backed by a real keyring (GNOME Keyring
 *   or KWallet on Kylin and UOS), unlocked by the agent's desktop login;
 * - `key-file`: a secret an administrator provisioned (a protected path or
 *   removable media), readable by this user only;
 * - `local-file`: a secret in a 0600 file beside the data. File permissions are
 *   all that protects it, so production uses it only when configured to.
 *
 * A change of protection (a keyring that appeared, another key file) rewraps the
 * same key; the data is never re-keyed, so nothing encrypted with it, queued
 * changes included, is ever stranded. A protection that went away (no keyring
 * any more, the media not inserted) stops the start with a message and touches
 * nothing.
 */
export type ProtectionKind = 'os-keyring' | 'key-file' | 'local-file'

export interface KeyProtection {
  readonly kind: ProtectionKind
  /** For key-file: the file. */
  readonly keyFile?: string
  wrap(key: Buffer): Buffer
  unwrap(wrapped: Buffer): Buffer
}

/** What the desk uses of Electron's safeStorage, so tests can stand in for it. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  /** Linux only: 'basic_text' means no keyring was found (a hard-coded password, no protection). */
  getSelectedStorageBackend?(): string
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
}

/** The start must stop: the message says what is missing and what to do, Chinese first. */
export class KeyStorageError extends Error {
  constructor(zh: string, en: string) {
    super(`${zh} (${en})`)
    this.name = 'KeyStorageError'
  }
}

const DATA_KEY = 'data.key'
const LOCAL_SECRET = 'master.key'
/** Backends that are not a keyring: 'unknown' is what Electron answers before it has chosen one. */
const NOT_A_KEYRING = new Set(['basic_text', 'unknown'])

/** The OS keyring behind safeStorage, or null when there is none worth the name. */
export function keyringProtection(safe: SafeStorageLike | null | undefined, platform: NodeJS.Platform = process.platform): KeyProtection | null {
  if (!safe || !safe.isEncryptionAvailable()) return null
  if (platform === 'linux' && NOT_A_KEYRING.has(safe.getSelectedStorageBackend?.() ?? 'unknown')) return null
  return {
    kind: 'os-keyring',
    wrap: (key) => safe.encryptString(key.toString('base64')),
    unwrap: (wrapped) => Buffer.from(safe.decryptString(wrapped), 'base64')
  }
}

function sealWith(secret: Buffer, data: Buffer): Buffer {
  const nonce = crypto.randomBytes(12)
  const c = crypto.createCipheriv('aes-256-gcm', secret, nonce)
  const body = Buffer.concat([c.update(data), c.final()])
  return Buffer.concat([nonce, c.getAuthTag(), body])
}

function openWith(secret: Buffer, sealed: Buffer): Buffer {
  const d = crypto.createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12))
  d.setAuthTag(sealed.subarray(12, 28))
  return Buffer.concat([d.update(sealed.subarray(28)), d.final()])
}

function modeOf(stat: fs.Stats): string {
  return (stat.mode & 0o777).toString(8).padStart(4, '0')
}

/**
 * An administrator's key file: a regular file of at least 32 random bytes, owned by this user and readable by
 * nobody else (0600 or 0400). A wider mode is refused, never fixed: the file may have been copied already.
 */
export function keyFileProtection(file: string): KeyProtection {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch (err) {
    throw new KeyStorageError(
      `找不到密钥文件 ${file}（security.keyFile）：请插入存放密钥的介质或联系管理员；本机数据未改动`,
      `key file ${file} (security.keyFile) not found: insert the key media or ask the administrator; no data was changed: ${(err as Error).message}`
    )
  }
  if (!stat.isFile()) throw new KeyStorageError(`密钥文件 ${file} 不是普通文件`, `key file ${file} is not a regular file`)
  if ((stat.mode & 0o077) !== 0)
    throw new KeyStorageError(
      `密钥文件 ${file} 的权限为 ${modeOf(stat)}，其他用户也能读取；请执行 chmod 600 ${file} 后重新启动`,
      `key file ${file} has mode ${modeOf(stat)}, readable by other users; run chmod 600 ${file} and start again`
    )
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid)
    throw new KeyStorageError(`密钥文件 ${file} 不属于当前用户（uid ${uid}）`, `key file ${file} is not owned by this user (uid ${uid})`)
  const material = fs.readFileSync(file)
  if (material.length < 32)
    throw new KeyStorageError(`密钥文件 ${file} 太短：至少 32 个随机字节（head -c 32 /dev/urandom）`, `key file ${file} is too short: at least 32 random bytes (head -c 32 /dev/urandom)`)
  const secret = Buffer.from(crypto.hkdfSync('sha256', material, Buffer.alloc(0), 'hotline desk key file v1', 32))
  return { kind: 'key-file', keyFile: path.resolve(file), wrap: (key) => sealWith(secret, key), unwrap: (wrapped) => openWith(secret, wrapped) }
}

/**
 * The local secret beside the data (0600). With `create`, a missing one is made when a key is first wrapped with it
 * (never to open one: a lost secret is reported, not replaced).
 */
export function localFileProtection(dataDir: string, create: boolean): KeyProtection | null {
  const file = path.join(dataDir, LOCAL_SECRET)
  if (!create && !fs.existsSync(file)) return null
  let secret: Buffer | null = null
  const load = (mayCreate: boolean): Buffer => {
    if (secret) return secret
    if (fs.existsSync(file)) {
      tightenFile(file)
      secret = fs.readFileSync(file)
    } else if (mayCreate) {
      secret = crypto.randomBytes(32)
      ensurePrivateDir(dataDir)
      writePrivateFileAtomic(file, secret)
    } else throw new Error(`${file} is missing`)
    return secret
  }
  return { kind: 'local-file', wrap: (key) => sealWith(load(create), key), unwrap: (wrapped) => openWith(load(false), wrapped) }
}

/** data.key: which protection wrapped the key, and the wrapped key. Files from older versions hold only the bytes. */
interface StoredKey {
  by: ProtectionKind
  keyFile: string | null
  wrapped: Buffer
  /** Written by an older version (the bytes alone): rewritten in today's format once opened. */
  legacy: boolean
}

function readStoredKey(dataDir: string): StoredKey | null {
  const file = path.join(dataDir, DATA_KEY)
  if (!fs.existsSync(file)) return null
  tightenFile(file)
  const raw = fs.readFileSync(file)
  if (raw[0] === 0x7b /* { */) {
    try {
      const v = JSON.parse(raw.toString('utf8')) as { v?: number; by?: ProtectionKind; keyFile?: string | null; wrapped?: string }
      if (v.v === 2 && v.by && typeof v.wrapped === 'string') return { by: v.by, keyFile: v.keyFile ?? null, wrapped: Buffer.from(v.wrapped, 'base64'), legacy: false }
    } catch {
      // Not ours: an older file whose wrapped bytes happen to start with '{'.
    }
  }
  // Older versions wrapped with the keyring, or with master.key when there was none.
  return { by: fs.existsSync(path.join(dataDir, LOCAL_SECRET)) ? 'local-file' : 'os-keyring', keyFile: null, wrapped: raw, legacy: true }
}

function writeStoredKey(dataDir: string, protection: KeyProtection, key: Buffer): void {
  const text = JSON.stringify({ v: 2, by: protection.kind, keyFile: protection.keyFile ?? null, wrapped: protection.wrap(key).toString('base64') })
  ensurePrivateDir(dataDir)
  writePrivateFileAtomic(path.join(dataDir, DATA_KEY), Buffer.from(text + '\n', 'utf8'))
}

export interface KeySettings {
  profile: Profile
  storage: KeyStorage
  keyFile?: string
}

const ALTERNATIVES_ZH = '可选：在有系统密钥环的桌面会话中运行；或设置 security.keyStorage 为 "key-file" 并用 security.keyFile 指定管理员下发的 0600 密钥文件；或明知风险设置为 "local-file"'
const ALTERNATIVES_EN = 'run in a desktop session with a keyring; or set security.keyStorage to "key-file" with security.keyFile naming an admin-provisioned 0600 key file; or, accepting the risk, to "local-file"'

/** The protection the configuration asks for now; throws when production would have to fall back to a plain key file. */
function chooseProtection(dataDir: string, settings: KeySettings, keyring: KeyProtection | null): KeyProtection {
  switch (settings.storage) {
    case 'os-keyring':
      if (keyring) return keyring
      throw new KeyStorageError(`配置要求使用系统密钥环，但本机没有可用的密钥环。${ALTERNATIVES_ZH}`, `security.keyStorage is "os-keyring" but no keyring is available; ${ALTERNATIVES_EN}`)
    case 'key-file':
      return keyFileProtection(settings.keyFile!)
    case 'local-file':
      return localFileProtection(dataDir, true)!
    case 'auto':
      if (keyring) return keyring
      // The sandbox holds training data only; it runs anywhere, keyring or not.
      if (settings.profile === 'sandbox') return localFileProtection(dataDir, true)!
      throw new KeyStorageError(
        `本机没有可用的系统密钥环，生产环境不会把数据密钥以明文保存在数据旁。${ALTERNATIVES_ZH}`,
        `no OS keyring is available and production does not keep the data key in plain text beside the data; ${ALTERNATIVES_EN}`
      )
  }
}

/** The protection that wrapped the stored key, if it can still be opened here. */
function protectionOf(stored: StoredKey, dataDir: string, keyring: KeyProtection | null, wanted: KeyProtection): KeyProtection | null {
  switch (stored.by) {
    case 'os-keyring':
      return keyring
    case 'local-file':
      return localFileProtection(dataDir, false)
    case 'key-file':
      if (wanted.kind === 'key-file' && (stored.keyFile === null || stored.keyFile === wanted.keyFile)) return wanted
      try {
        return stored.keyFile ? keyFileProtection(stored.keyFile) : null
      } catch {
        return null
      }
  }
}

function sameProtection(a: KeyProtection, b: KeyProtection): boolean {
  return a.kind === b.kind && (a.keyFile ?? null) === (b.keyFile ?? null)
}

const GONE: Record<ProtectionKind, [string, string]> = {
  'os-keyring': ['数据密钥由系统密钥环保护，但现在没有可用的密钥环（未登录桌面会话或密钥环未解锁？）', 'the data key is protected by the OS keyring, which is not available now (no desktop session, or the keyring is locked?)'],
  'key-file': ['数据密钥由管理员的密钥文件保护，但该文件现在不可用', "the data key is protected by the administrator's key file, which is not available now"],
  'local-file': ['数据密钥由数据旁的 master.key 保护，但该文件已不在', 'the data key is protected by master.key beside the data, which is gone']
}

export interface OpenedKey {
  key: Buffer
  protection: ProtectionKind
  /** What changed (a rewrap), for the log. */
  changes: string[]
}

/**
 * Loads the data key, creating it on first use, and moves it under the configured protection if another one wrapped
 * it (the same key, rewrapped: data.key is replaced atomically, then a local secret that no longer protects anything
 * is removed). Throws KeyStorageError, changing nothing, when the key cannot be opened here.
 */
export function openDataKey(dataDir: string, settings: KeySettings, keyring: KeyProtection | null): OpenedKey {
  const stored = readStoredKey(dataDir)
  const gone = (by: ProtectionKind) => {
    const [zh, en] = GONE[by]
    return new KeyStorageError(`${zh}；本机数据（含待同步的更改）原样保留，恢复后即可继续。`, `${en}; the desk's data, queued changes included, is kept as it is and opens once it is back`)
  }
  // Said first: without the keyring that holds it, the key is out of reach whatever the configuration wants now.
  if (stored?.by === 'os-keyring' && !keyring) throw gone('os-keyring')
  const wanted = chooseProtection(dataDir, settings, keyring)
  if (!stored) {
    const key = crypto.randomBytes(32)
    writeStoredKey(dataDir, wanted, key)
    return { key, protection: wanted.kind, changes: [`created, protected by ${wanted.kind}`] }
  }
  const current = protectionOf(stored, dataDir, keyring, wanted)
  if (!current) throw gone(stored.by)
  let key: Buffer
  try {
    key = current.unwrap(stored.wrapped)
  } catch (err) {
    throw new KeyStorageError(
      `无法解开本地数据密钥（${stored.by}）：保护它的密钥已更换？文件未改动。`,
      `cannot unwrap the local data key (${stored.by}): was its protection replaced? The file was left untouched. ${(err as Error).message}`
    )
  }
  if (key.length !== 32) throw new KeyStorageError('本地数据密钥长度不对，文件未改动', 'the local data key has the wrong length; the file was left untouched')
  const changes: string[] = []
  if (!sameProtection(current, wanted) || stored.legacy) {
    writeStoredKey(dataDir, wanted, key)
    changes.push(`rewrapped from ${stored.by} to ${wanted.kind}`)
  }
  const localSecret = path.join(dataDir, LOCAL_SECRET)
  if (wanted.kind !== 'local-file' && fs.existsSync(localSecret)) {
    fs.rmSync(localSecret)
    changes.push('removed master.key (it protects nothing now)')
  }
  return { key, protection: wanted.kind, changes }
}
