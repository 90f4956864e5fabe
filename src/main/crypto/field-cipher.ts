import crypto from 'node:crypto'

/**
 * Encrypts citizen data at rest (drafts, cached tickets, recordings): AES-256-GCM
 * with a random 96-bit nonce per value, authenticated so a tampered or truncated
 * value fails loudly instead of decrypting to garbage. Format (base64):
 *   version(1) | nonce(12) | tag(16) | ciphertext
 * The data key itself never sits in plain text next to the data: it is wrapped
 * by the OS secret store (see key-store.ts).
 */
const VERSION = 1

export class FieldCipher {
  /** A separate key for blind indexes, derived so the encryption key is never used as an HMAC key too. */
  private readonly indexKey: Buffer

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('FieldCipher needs a 32-byte key')
    this.indexKey = Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'field-cipher blind index v1', 32))
  }

  /**
   * A blind index: HMAC-SHA256 of a value under a derived key, so an encrypted
   * column (a caller's number) can be looked up by equality without storing the
   * value in plain text. Deterministic by design; `domain` keeps indexes of
   * different kinds of value from matching each other.
   */
  blindIndex(value: string, domain = 'default'): string {
    return crypto.createHmac('sha256', this.indexKey).update(domain).update('\0').update(value, 'utf8').digest('base64url')
  }

  /** A copy of the data key, for a worker thread that seals or opens large files so main's event loop never waits on them. */
  exportKey(): Buffer {
    return Buffer.from(this.key)
  }

  encrypt(plain: string | Buffer): Buffer {
    const nonce = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, nonce)
    const body = Buffer.concat([cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), cipher.final()])
    return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body])
  }

  decrypt(sealed: Buffer): Buffer {
    if (sealed.length < 29 || sealed[0] !== VERSION) throw new Error('encrypted value has an unknown format')
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 13))
    decipher.setAuthTag(sealed.subarray(13, 29))
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()])
  }

  encryptText(plain: string): string {
    return this.encrypt(plain).toString('base64')
  }

  decryptText(sealed: string): string {
    return this.decrypt(Buffer.from(sealed, 'base64')).toString('utf8')
  }
}
