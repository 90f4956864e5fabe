import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FieldCipher } from './field-cipher'
import { fileSecretWrapper, loadDataKey, type SecretWrapper } from './key-store'

describe('FieldCipher', () => {
  const cipher = new FieldCipher(Buffer.alloc(32, 7))

  it('round-trips Chinese, rare characters and emoji exactly', () => {
    const text = '市民反映玉州区名山街道路灯不亮 𠀀㐀𪚥 😀 <script>alert(1)</script>'
    expect(cipher.decryptText(cipher.encryptText(text))).toBe(text)
  })

  it('never produces the same ciphertext twice and hides the plaintext', () => {
    const a = cipher.encryptText('13800000000')
    expect(a).not.toBe(cipher.encryptText('13800000000'))
    expect(Buffer.from(a, 'base64').toString('latin1')).not.toContain('13800000000')
  })

  it('gives a deterministic blind index per key and domain that does not reveal the value', () => {
    const a = cipher.blindIndex('13907751234', 'phone')
    expect(a).toBe(cipher.blindIndex('13907751234', 'phone'))
    expect(a).not.toBe(cipher.blindIndex('13907751235', 'phone'))
    expect(a).not.toBe(cipher.blindIndex('13907751234', 'name'))
    expect(a).not.toBe(new FieldCipher(Buffer.alloc(32, 8)).blindIndex('13907751234', 'phone'))
    expect(a).not.toContain('1390775')
  })

  it('fails loudly on tampering or a wrong key', () => {
    const sealed = cipher.encrypt('诉求内容')
    sealed[sealed.length - 1]! ^= 1
    expect(() => cipher.decrypt(sealed)).toThrow()
    expect(() => new FieldCipher(Buffer.alloc(32, 8)).decrypt(cipher.encrypt('x'))).toThrow()
    expect(() => cipher.decrypt(Buffer.from('short'))).toThrow(/unknown format/)
  })
})

describe('loadDataKey', () => {
  it('creates a wrapped key once and returns the same key after', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-key-'))
    const wrapper = fileSecretWrapper(dir)
    const k1 = loadDataKey(dir, wrapper)
    expect(loadDataKey(dir, fileSecretWrapper(dir)).equals(k1)).toBe(true)
    expect(fs.readFileSync(path.join(dir, 'data.key')).includes(k1)).toBe(false) // never stored in plain text
    expect(fs.statSync(path.join(dir, 'data.key')).mode & 0o077).toBe(0)
    fs.rmSync(dir, { recursive: true })
  })

  it('refuses, without overwriting, when the wrapper cannot open the key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-key-'))
    loadDataKey(dir, fileSecretWrapper(dir))
    const before = fs.readFileSync(path.join(dir, 'data.key'))
    const other: SecretWrapper = {
      kind: 'os-keyring',
      wrap: (b) => b,
      unwrap: () => {
        throw new Error('keyring locked')
      }
    }
    expect(() => loadDataKey(dir, other)).toThrow(/无法解开本地数据密钥/)
    expect(fs.readFileSync(path.join(dir, 'data.key')).equals(before)).toBe(true)
    fs.rmSync(dir, { recursive: true })
  })
})
