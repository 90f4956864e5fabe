import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../config/load-config'
import { createCore } from '../core'
import { openDatabase } from '../db/database'
import { createMemoryLogger } from '../logging'
import { operations } from '../db/operations'
import { open, seal } from '../sync/sealed-outbox'
import { FieldCipher } from './field-cipher'
import { KeyStorageError, keyringProtection, localFileProtection, openDataKey, type SafeStorageLike } from './key-store'

/**
 * The data key on real files, with Electron's safeStorage faked at its boundary:
 * a keyring whose backend can be switched, as when an agent's desktop session
 * starts with or without GNOME Keyring / KWallet.
 */
function fakeSafeStorage(backend: string): SafeStorageLike & { backend: string } {
  const secret = crypto.randomBytes(32)
  return {
    backend,
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend() {
      return this.backend
    },
    encryptString(plain) {
      const nonce = crypto.randomBytes(12)
      const c = crypto.createCipheriv('aes-256-gcm', secret, nonce)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return Buffer.concat([Buffer.from('v11'), nonce, c.getAuthTag(), body])
    },
    decryptString(encrypted) {
      const d = crypto.createDecipheriv('aes-256-gcm', secret, encrypted.subarray(3, 15))
      d.setAuthTag(encrypted.subarray(15, 31))
      return Buffer.concat([d.update(encrypted.subarray(31)), d.final()]).toString('utf8')
    }
  }
}

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-key-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const mode = (file: string) => fs.statSync(file).mode & 0o777
const exists = (name: string) => fs.existsSync(path.join(dir, name))
const production = { profile: 'production', storage: 'auto' } as const

/** Queues one sealed change in a real desk database, as the outbox does. */
function queueChange(key: Buffer, text: string): void {
  const { db } = openDatabase(path.join(dir, 'desk.sqlite'))
  operations['outbox.enqueue'](db, { idempotencyKey: crypto.randomUUID(), operation: 'createTicket', entityKey: null, payload: seal(new FieldCipher(key), { body: { content: text } }), actor: 'agent01', at: Date.now() })
  db.close()
}
/** Every queued change, opened with the key. */
function queuedChanges(key: Buffer): unknown[] {
  const { db } = openDatabase(path.join(dir, 'desk.sqlite'))
  try {
    return operations['outbox.list'](db, { limit: 100 }).map((e) => open(new FieldCipher(key), e.payload))
  } finally {
    db.close()
  }
}

describe('the data key', () => {
  it('is never kept in a plain file beside the data in production unless the configuration says so', () => {
    expect(() => openDataKey(dir, production, null)).toThrow(KeyStorageError)
    expect(() => openDataKey(dir, production, null)).toThrow(/security\.keyStorage/)
    // 'basic_text' is safeStorage without a keyring: no protection, so no keyring either.
    expect(keyringProtection(fakeSafeStorage('basic_text'), 'linux')).toBeNull()
    expect(() => openDataKey(dir, production, keyringProtection(fakeSafeStorage('basic_text'), 'linux'))).toThrow(KeyStorageError)
    expect(fs.readdirSync(dir)).toEqual([])

    const allowed = openDataKey(dir, { profile: 'production', storage: 'local-file' }, null)
    expect(allowed.protection).toBe('local-file')
    expect(mode(path.join(dir, 'master.key'))).toBe(0o600)
    expect(mode(path.join(dir, 'data.key'))).toBe(0o600)
  })

  it('creates the key once, never in plain text, and refuses without overwriting when its protection cannot open it', () => {
    const keyring = keyringProtection(fakeSafeStorage('gnome_libsecret'), 'linux')
    const first = openDataKey(dir, production, keyring)
    expect(openDataKey(dir, production, keyring).key.equals(first.key)).toBe(true)
    const stored = fs.readFileSync(path.join(dir, 'data.key'))
    expect(stored.includes(first.key)).toBe(false)
    expect(stored.includes(first.key.toString('base64'))).toBe(false)
    // Another keyring (a new desktop profile) cannot open it: refused, the file as it was.
    expect(() => openDataKey(dir, production, keyringProtection(fakeSafeStorage('gnome_libsecret'), 'linux'))).toThrow(/无法解开本地数据密钥/)
    expect(fs.readFileSync(path.join(dir, 'data.key')).equals(stored)).toBe(true)
  })

  it('uses a real keyring when there is one, and the sandbox runs without one', () => {
    const opened = openDataKey(dir, production, keyringProtection(fakeSafeStorage('gnome_libsecret'), 'linux'))
    expect(opened.protection).toBe('os-keyring')
    expect(exists('master.key')).toBe(false)
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'data.key'), 'utf8'))).toMatchObject({ v: 2, by: 'os-keyring' })

    const sandboxDir = path.join(dir, 'sandbox')
    expect(openDataKey(sandboxDir, { profile: 'sandbox', storage: 'auto' }, null).protection).toBe('local-file')
  })

  it('moves the same key into a keyring that appears later, and queued changes still open', () => {
    const before = openDataKey(dir, { profile: 'production', storage: 'local-file' }, null)
    queueChange(before.key, '市民反映路灯不亮')
    const keyring = fakeSafeStorage('kwallet5')
    const after = openDataKey(dir, production, keyringProtection(keyring, 'linux'))
    expect(after.key.equals(before.key)).toBe(true)
    expect(after.changes).toEqual(['rewrapped from local-file to os-keyring', 'removed master.key (it protects nothing now)'])
    expect(exists('master.key')).toBe(false)
    expect(queuedChanges(after.key)).toEqual([{ body: { content: '市民反映路灯不亮' } }])
    // Opening again changes nothing.
    expect(openDataKey(dir, production, keyringProtection(keyring, 'linux')).changes).toEqual([])
  })

  it('refuses to start when the keyring vanishes, touching nothing, and opens the same key when it is back', () => {
    const keyring = fakeSafeStorage('gnome_libsecret')
    const first = openDataKey(dir, production, keyringProtection(keyring, 'linux'))
    queueChange(first.key, '待同步的工单')
    const keyBytes = fs.readFileSync(path.join(dir, 'data.key'))
    keyring.backend = 'basic_text'
    for (const storage of ['auto', 'local-file', 'os-keyring'] as const) {
      expect(() => openDataKey(dir, { profile: 'production', storage }, keyringProtection(keyring, 'linux'))).toThrow(/系统密钥环.*原样保留/)
    }
    // The sandbox too: its key is in the keyring, and a new key would strand what it encrypted.
    expect(() => openDataKey(dir, { profile: 'sandbox', storage: 'auto' }, keyringProtection(keyring, 'linux'))).toThrow(KeyStorageError)
    expect(fs.readFileSync(path.join(dir, 'data.key')).equals(keyBytes)).toBe(true)
    expect(exists('master.key')).toBe(false)
    keyring.backend = 'gnome_libsecret'
    const back = openDataKey(dir, production, keyringProtection(keyring, 'linux'))
    expect(back.key.equals(first.key)).toBe(true)
    expect(queuedChanges(back.key)).toEqual([{ body: { content: '待同步的工单' } }])
  })

  it("takes an administrator's key file only at 0600, and moves the key to another one", () => {
    const media = path.join(dir, 'media')
    fs.mkdirSync(media)
    const keyFile = path.join(media, 'desk.key')
    fs.writeFileSync(keyFile, crypto.randomBytes(32), { mode: 0o644 })
    fs.chmodSync(keyFile, 0o644)
    const data = path.join(dir, 'data')
    expect(() => openDataKey(data, { profile: 'production', storage: 'key-file', keyFile }, null)).toThrow(/chmod 600/)
    fs.chmodSync(keyFile, 0o600)
    const first = openDataKey(data, { profile: 'production', storage: 'key-file', keyFile }, null)
    expect(first.protection).toBe('key-file')
    expect(fs.existsSync(path.join(data, 'master.key'))).toBe(false)

    const second = path.join(media, 'desk-2024.key')
    fs.writeFileSync(second, crypto.randomBytes(48), { mode: 0o600 })
    const moved = openDataKey(data, { profile: 'production', storage: 'key-file', keyFile: second }, null)
    expect(moved.key.equals(first.key)).toBe(true)
    expect(moved.changes).toEqual(['rewrapped from key-file to key-file'])
    // The media not inserted: refused with what to do, nothing changed.
    fs.rmSync(second)
    expect(() => openDataKey(data, { profile: 'production', storage: 'key-file', keyFile: second }, null)).toThrow(/找不到密钥文件/)
  })

  it('opens a key file written by an older version, rewrites it in the current format and tightens its mode', () => {
    const key = crypto.randomBytes(32)
    // The older format: master.key beside the data, data.key holding only the wrapped bytes, both 0644.
    const legacy = localFileProtection(dir, true)!
    fs.writeFileSync(path.join(dir, 'data.key'), legacy.wrap(key), { mode: 0o644 })
    fs.chmodSync(path.join(dir, 'data.key'), 0o644)
    fs.chmodSync(path.join(dir, 'master.key'), 0o644)
    const opened = openDataKey(dir, { profile: 'sandbox', storage: 'auto' }, null)
    expect(opened.key.equals(key)).toBe(true)
    expect(mode(path.join(dir, 'master.key'))).toBe(0o600)
    expect(mode(path.join(dir, 'data.key'))).toBe(0o600)
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'data.key'), 'utf8'))).toMatchObject({ v: 2, by: 'local-file' })
  })

  it('stops a production desk without a keyring before it opens anything, saying what to do', async () => {
    const dataDir = path.join(dir, 'data')
    const config = parseConfig(
      { profile: 'production', dataDir, platform: { url: 'http://127.0.0.1:9/' }, sip: { wsUrl: 'ws://127.0.0.1:9', user: 'u', password: 'p', domain: 'd' } },
      path.join(dir, 'config.json')
    )
    await expect(createCore(config, { kind: 'test', version: '0.0.0-test', log: createMemoryLogger(), keyring: fakeSafeStorage('basic_text') })).rejects.toThrow(/security\.keyStorage.*key-file.*local-file/)
    expect(fs.readdirSync(dataDir)).toEqual([])
  })
})
