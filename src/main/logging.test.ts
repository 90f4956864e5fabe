import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFileLogger, logLineText } from './logging'

/** The browser host's JSON-lines log on real files: escaping, modes, rotation. */
let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-log-'))
})
afterEach(() => {
  vi.restoreAllMocks()
  fs.rmSync(dir, { recursive: true, force: true })
})

const mode = (file: string) => fs.statSync(file).mode & 0o777
/** Characters that end a line or steer a terminal: none may reach the log raw. */
// eslint-disable-next-line no-control-regex -- the control characters are what this test looks for
const RAW_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/

describe('the file logger', () => {
  it("never repeats an attacker's key or value unescaped: one line, no raw newline or terminal escape, the same text when read back", () => {
    const stderr: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk))
      return true
    })
    const file = path.join(dir, 'logs', 'host.jsonl')
    const log = createFileLogger(file)
    const key = 'evil\nkey\u001b[31m'
    const value = 'x\n{"at":"2020-01-01","level":"error","message":"forged"}\r\u001b[2J\u009b31m\u2028end'
    log.warn('ipc: malformed arguments rejected', { [key]: value, level: 'error', method: 'session.login' })
    log.info(`a message with a value in it: ${value}`)

    const text = fs.readFileSync(file, 'utf8')
    const lines = text.split('\n').filter(Boolean)
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line).not.toMatch(RAW_CONTROL)
    const first = JSON.parse(lines[0]!) as Record<string, unknown>
    expect(first[key]).toBe(value)
    // A logged field named like the line's own cannot pass for it.
    expect(first.level).toBe('warn')
    expect(first['detail.level']).toBe('error')
    expect((JSON.parse(lines[1]!) as { message: string }).message).toBe(`a message with a value in it: ${value}`)

    // The stderr mirror is one line too.
    expect(stderr).toHaveLength(1)
    expect(stderr[0]!.slice(0, -1)).not.toMatch(RAW_CONTROL)
    expect(logLineText(value)).not.toMatch(RAW_CONTROL)
  })

  it('writes a file only the user can read, tightening one an older version left open', () => {
    const file = path.join(dir, 'logs', 'host.jsonl')
    fs.mkdirSync(path.dirname(file), { mode: 0o755 })
    fs.chmodSync(path.dirname(file), 0o755)
    fs.writeFileSync(file, '{"old":true}\n', { mode: 0o644 })
    fs.chmodSync(file, 0o644)
    createFileLogger(file).info('started')
    expect(mode(file)).toBe(0o600)
    expect(mode(path.dirname(file))).toBe(0o700)
  })

  it('rotates at its size cap and keeps a bounded number of older files', () => {
    const file = path.join(dir, 'logs', 'host.jsonl')
    const log = createFileLogger(file, { maxBytes: 2000, keep: 2 })
    for (let i = 0; i < 200; i++) log.info('line', { i, pad: 'x'.repeat(60) })
    const names = fs.readdirSync(path.dirname(file)).sort()
    expect(names).toEqual(['host.jsonl', 'host.jsonl.1', 'host.jsonl.2'])
    for (const name of names) {
      const p = path.join(path.dirname(file), name)
      expect(fs.statSync(p).size).toBeLessThanOrEqual(2000)
      expect(mode(p)).toBe(0o600)
    }
    // Nothing torn: every line is whole, and the newest is in the current file.
    const current = fs.readFileSync(file, 'utf8').trim().split('\n')
    expect(JSON.parse(current.at(-1)!)).toMatchObject({ message: 'line', i: 199 })
    for (const name of names) for (const line of fs.readFileSync(path.join(path.dirname(file), name), 'utf8').trim().split('\n')) JSON.parse(line)
  })
})
