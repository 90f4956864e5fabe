import { describe, expect, it } from 'vitest'
import { FieldCipher } from './field-cipher'

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
