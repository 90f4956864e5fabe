import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { makePrivateDir, tightenFile } from '../private-files'

/**
 * Wraps and unwraps the data key. Electron's safeStorage (the desktop keyring:
 * GNOME Keyring / KWallet on Kylin and UOS) implements it in main/app; the
 * browser host and tests use a key file readable only by the user, which is
 * for development and the sandbox, never production.
 */
export interface SecretWrapper {
  readonly kind: 'os-keyring' | 'file'
  wrap(key: Buffer): Buffer
  unwrap(wrapped: Buffer): Buffer
}

/** Development/sandbox wrapper: a random master key in a 0600 file beside the data. */
export function fileSecretWrapper(dataDir: string): SecretWrapper {
  const file = path.join(dataDir, 'master.key')
  let master: Buffer
  if (fs.existsSync(file)) {
    tightenFile(file)
    master = fs.readFileSync(file)
  } else {
    makePrivateDir(dataDir)
    master = crypto.randomBytes(32)
    fs.writeFileSync(file, master, { mode: 0o600 })
  }
  const seal = (data: Buffer) => {
    const nonce = crypto.randomBytes(12)
    const c = crypto.createCipheriv('aes-256-gcm', master, nonce)
    const body = Buffer.concat([c.update(data), c.final()])
    return Buffer.concat([nonce, c.getAuthTag(), body])
  }
  const open = (sealed: Buffer) => {
    const d = crypto.createDecipheriv('aes-256-gcm', master, sealed.subarray(0, 12))
    d.setAuthTag(sealed.subarray(12, 28))
    return Buffer.concat([d.update(sealed.subarray(28)), d.final()])
  }
  return { kind: 'file', wrap: seal, unwrap: open }
}

/**
 * Loads the data key from `<dataDir>/data.key` (wrapped), creating it on first
 * use. Losing the wrapper (a new OS keyring) makes old encrypted data
 * unreadable: that fails with a clear error, and nothing is overwritten.
 */
export function loadDataKey(dataDir: string, wrapper: SecretWrapper): Buffer {
  const file = path.join(dataDir, 'data.key')
  if (fs.existsSync(file)) {
    tightenFile(file)
    try {
      return wrapper.unwrap(fs.readFileSync(file))
    } catch (err) {
      throw new Error(
        `无法解开本地数据密钥（系统密钥环已更换？）${file}，加密的草稿无法读取；文件未改动。 (Cannot unwrap the local data key; the OS keyring may have changed. The file was left untouched.) ${(err as Error).message}`
      )
    }
  }
  makePrivateDir(dataDir)
  const key = crypto.randomBytes(32)
  fs.writeFileSync(file, wrapper.wrap(key), { mode: 0o600 })
  return key
}
