import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from './config/load-config'
import { createCore, type Core } from './core'
import { createMemoryLogger } from './logging'
import { recordingsDir } from './recordings/recording-service'

/**
 * A desk's files on disk, as `ls -l` shows them: the profile folder and every
 * folder in it 0700; databases (with their -wal and -shm), keys and recordings
 * 0600, whatever the umask, and tightened when an older version left them wider.
 */
let root: string
let umask: number
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-modes-'))
  // A desktop session's usual umask: files 0644 and folders 0755 unless the desk says otherwise.
  umask = process.umask(0o022)
})
afterAll(() => {
  process.umask(umask)
  fs.rmSync(root, { recursive: true, force: true })
})

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8)

async function startCore(dataDir: string): Promise<Core> {
  const config = parseConfig({ profile: 'sandbox', dataDir }, path.join(root, 'config.json'))
  return createCore(config, { kind: 'test', version: '0.0.0-test', log: createMemoryLogger() })
}

/** Records a second of a call through the phone host's methods, so the recording's file exists. */
async function record(core: Core, callId: string): Promise<void> {
  expect(await core.dispatcher.handle('phone', 'recordings', 'begin', { callId, startedAt: Date.now(), mimeType: 'audio/webm' })).toEqual({ ok: true, value: { record: true } })
  expect(await core.dispatcher.handle('phone', 'recordings', 'chunk', { callId, seq: 0, data: Buffer.from('opus').toString('base64') })).toMatchObject({ ok: true })
}

/** Every file and folder under the profile folder with its mode, as `find -printf '%m %P'` would list them. */
function modes(dataDir: string): Record<string, string> {
  const out: Record<string, string> = { '.': mode(dataDir) }
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name)
      out[path.relative(dataDir, p)] = mode(p)
      if (entry.isDirectory()) walk(p)
    }
  }
  walk(dataDir)
  return out
}

function expectPrivate(dataDir: string): void {
  const listed = modes(dataDir)
  for (const [name, m] of Object.entries(listed)) {
    const isDir = fs.statSync(path.join(dataDir, name)).isDirectory()
    expect(`${name} ${m}`).toBe(`${name} ${isDir ? '700' : '600'}`)
  }
  for (const name of ['desk.sqlite', 'desk.sqlite-wal', 'desk.sqlite-shm', 'data.key', 'master.key', 'platform/platform.sqlite', 'platform/platform.sqlite-wal'])
    expect(Object.keys(listed)).toContain(name)
  expect(Object.keys(listed).some((n) => n.startsWith('recordings/') && n.endsWith('.rec'))).toBe(true)
}

describe('file modes', () => {
  it('makes a new desk private: folders 0700, databases with -wal and -shm, keys and recordings 0600', async () => {
    const dataDir = path.join(root, 'new', 'sandbox')
    const core = await startCore(dataDir)
    try {
      await record(core, 'call-new')
      expectPrivate(dataDir)
    } finally {
      await core.stop()
    }
  }, 60_000)

  it('tightens what an older version left readable by others, when it opens them', async () => {
    const dataDir = path.join(root, 'old', 'sandbox')
    const first = await startCore(dataDir)
    await record(first, 'call-old')
    await first.stop()
    // What an older desk left behind under umask 022.
    const widen = (p: string) => {
      const stat = fs.statSync(p)
      fs.chmodSync(p, stat.isDirectory() ? 0o755 : 0o644)
      if (stat.isDirectory()) for (const e of fs.readdirSync(p)) widen(path.join(p, e))
    }
    fs.writeFileSync(path.join(dataDir, 'desk.sqlite-shm'), '')
    widen(dataDir)
    expect(mode(path.join(dataDir, 'desk.sqlite'))).toBe('644')
    expect(fs.readdirSync(recordingsDir(dataDir)).length).toBeGreaterThan(0)

    const core = await startCore(dataDir)
    try {
      expectPrivate(dataDir)
    } finally {
      await core.stop()
    }
  }, 60_000)
})
