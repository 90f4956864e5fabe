import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './load-config'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-cfg-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const write = (name: string, content: string) => {
  const f = path.join(dir, name)
  fs.writeFileSync(f, content)
  return f
}
const problems = (file: string): string[] => {
  try {
    loadConfig(file)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('without a file runs the sandbox profile with a per-profile data dir', () => {
    const cfg = loadConfig()
    expect(cfg.profile).toBe('sandbox')
    expect(cfg.dataDir).toMatch(/hotline12345-desk[/\\]sandbox$/)
    expect(cfg.idleLockMinutes).toBe(10)
  })

  it('accepts a complete production file and resolves dataDir relative to the file', () => {
    const file = write(
      'prod.json',
      JSON.stringify({
        profile: 'production',
        dataDir: 'data',
        platform: { url: 'https://12345.example.gov.cn/api' },
        sip: { wsUrl: 'wss://sip.example.gov.cn:7443', user: '8001', password: 'x', domain: 'sip.example.gov.cn' },
        updater: { url: 'https://update.example.gov.cn/desk/' }
      })
    )
    const cfg = loadConfig(file)
    expect(cfg.dataDir).toBe(path.join(dir, 'data'))
    expect(cfg.sip?.callerId).toBe('12345')
  })

  it('names the key and the problem for each bad value', () => {
    const file = write('bad.json', JSON.stringify({ profile: 'prod', sip: { wsUrl: 'http://x', user: '', password: 'p', domain: 'd' }, idleLockMinutes: 0 }))
    const list = problems(file)
    expect(list.find((p) => p.startsWith('profile:'))).toBeTruthy()
    expect(list.find((p) => p.startsWith('sip.wsUrl:'))).toMatch(/ws/)
    expect(list.find((p) => p.startsWith('sip.user:'))).toMatch(/不能为空/)
    expect(list.find((p) => p.startsWith('idleLockMinutes:'))).toBeTruthy()
  })

  it('takes the key storage with a key file relative to the file, and names what is missing', () => {
    const base = { profile: 'production', platform: { url: 'https://12345.example.gov.cn/api' }, sip: { wsUrl: 'wss://sip.example.gov.cn', user: '8001', password: 'x', domain: 'd' } }
    expect(loadConfig(write('auto.json', JSON.stringify(base))).security).toEqual({ keyStorage: 'auto' })
    const cfg = loadConfig(write('keyfile.json', JSON.stringify({ ...base, security: { keyStorage: 'key-file', keyFile: 'keys/desk.key' } })))
    expect(cfg.security).toEqual({ keyStorage: 'key-file', keyFile: path.join(dir, 'keys', 'desk.key') })
    expect(problems(write('nofile.json', JSON.stringify({ ...base, security: { keyStorage: 'key-file' } })))).toEqual([expect.stringMatching(/^security\.keyFile: .*key-file/)])
    expect(problems(write('badstore.json', JSON.stringify({ ...base, security: { keyStorage: 'plain' } })))).toEqual([expect.stringMatching(/^security\.keyStorage: /)])
  })

  it('production without platform or SIP does not start half-configured', () => {
    const list = problems(write('half.json', '{"profile":"production"}'))
    expect(list).toEqual(expect.arrayContaining([expect.stringMatching(/^platform: /), expect.stringMatching(/^sip: /)]))
  })

  it('rejects unknown keys (typos) by name', () => {
    expect(problems(write('typo.json', '{"profile":"sandbox","platfrom":{"url":"http://x"}}'))).toEqual([expect.stringContaining('platfrom')])
  })

  it('reports malformed JSON and unreadable files clearly', () => {
    expect(problems(write('broken.json', '{"profile": "sandbox",'))[0]).toMatch(/不是有效的 JSON/)
    expect(problems(path.join(dir, 'missing.json'))[0]).toMatch(/无法读取文件/)
    expect(problems(write('array.json', '[]'))[0]).toMatch(/JSON 对象/)
  })
})
