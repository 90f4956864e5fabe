import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { until } from '../platform/support'

/**
 * The browser host in its own process, fed raw WebSocket frames over real TCP
 * after a real upgrade handshake. Whatever one connection sends, the process
 * stays up and another window's bridge keeps answering.
 */
const ROOT = path.resolve(__dirname, '../..')
let dir: string
let host: ChildProcess
let uiUrl: URL
let output = ''
let steady: WebSocket
let nextId = 0

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-frames-'))
  host = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support/bridge-host.ts'), dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  host.stderr!.on('data', (d: Buffer) => (output += String(d)))
  uiUrl = await new Promise<URL>((resolve, reject) => {
    readline.createInterface({ input: host.stdout! }).on('line', (line) => {
      output += line + '\n'
      const m = /^HOST_URL=(.+)$/.exec(line)
      if (m) resolve(new URL(m[1]!))
    })
    host.once('exit', (code) => reject(new Error(`host exited (${code}) before ready:\n${output}`)))
  })
  steady = await openBridge()
})
afterAll(async () => {
  steady?.close()
  if (host && host.exitCode === null) {
    const exited = new Promise((r) => host.once('exit', r))
    host.kill('SIGTERM')
    await exited
  }
  fs.rmSync(dir, { recursive: true, force: true })
})

const token = () => uiUrl.pathname.split('/')[1]!

function openBridge(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${uiUrl.host}/${token()}/bridge`)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

/** The other window: its process is alive and a contract call on its connection is answered. */
async function hostStillServes(): Promise<void> {
  expect(host.exitCode, `host died:\n${output}`).toBeNull()
  const id = ++nextId
  const answer = await new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer on the steady connection:\n${output}`)), 10_000)
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data)) as { type: string; id?: number; result?: unknown }
      if (msg.type !== 'result' || msg.id !== id) return
      clearTimeout(timer)
      steady.off('message', onMessage)
      resolve(msg.result)
    }
    steady.on('message', onMessage)
    steady.send(JSON.stringify({ id, service: 'system', method: 'snapshot', args: {} }))
  })
  expect(answer).toMatchObject({ ok: true })
}

interface RawFrame {
  fin: boolean
  rsv: number
  opcode: number
  masked: boolean
  payload: Uint8Array
  /** The length the header claims: the payload's own, or a lie. */
  declared: 'exact' | 'shorter' | 'longer' | 'over-limit' | 'over-2^53'
}

function encode(f: RawFrame): Buffer {
  const n = f.payload.length
  const len = { exact: n, shorter: Math.max(0, n - 3), longer: n + 17, 'over-limit': 4 * 1024 * 1024, 'over-2^53': Number.MAX_SAFE_INTEGER }[f.declared]
  const ext = len < 126 ? Buffer.alloc(0) : len < 65536 ? Buffer.alloc(2) : Buffer.alloc(8)
  if (ext.length === 2) ext.writeUInt16BE(len)
  if (ext.length === 8) ext.writeBigUInt64BE(f.declared === 'over-2^53' ? 2n ** 63n - 1n : BigInt(len))
  const first = (f.fin ? 0x80 : 0) | ((f.rsv & 7) << 4) | (f.opcode & 15)
  const second = (f.masked ? 0x80 : 0) | (len < 126 ? len : len < 65536 ? 126 : 127)
  const key = f.masked ? crypto.randomBytes(4) : Buffer.alloc(0)
  const body = Buffer.from(f.payload.map((b, i) => (f.masked ? b ^ key[i % 4]! : b)))
  return Buffer.concat([Buffer.from([first, second]), ext, key, body])
}

function handshake(path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: ${uiUrl.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`
}

/** Connects, upgrades and resolves with the socket once the 101 (or a refusal) has come back; bytes after it are kept. */
function rawUpgrade(path = `/${token()}/bridge`): Promise<{ socket: net.Socket; status: string; after: () => Buffer; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(uiUrl.port), '127.0.0.1')
    let buf = Buffer.alloc(0)
    let headEnd = -1
    const closed = new Promise<void>((r) => socket.once('close', () => r()))
    socket.on('error', () => undefined)
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d])
      if (headEnd >= 0) return
      headEnd = buf.indexOf('\r\n\r\n')
      if (headEnd >= 0) resolve({ socket, status: buf.subarray(0, buf.indexOf('\r\n')).toString(), after: () => buf.subarray(headEnd + 4), closed })
    })
    socket.once('close', () => (headEnd < 0 ? reject(new Error('closed before answering the handshake')) : undefined))
    socket.write(handshake(path))
  })
}

/** The close code of the first close frame the server sent, if any (server frames are unmasked). */
function closeCodeIn(bytes: Buffer): number | null {
  let at = 0
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 15
    let len = bytes[at + 1]! & 127
    let head = 2
    if (len === 126) [len, head] = [bytes.readUInt16BE(at + 2), 4]
    if (opcode === 8) return len >= 2 ? bytes.readUInt16BE(at + head) : null
    at += head + len
  }
  return null
}

const frameArb: fc.Arbitrary<RawFrame> = fc.record({
  fin: fc.boolean(),
  rsv: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
  opcode: fc.oneof(fc.constantFrom(0, 1, 2, 8, 9, 10), fc.integer({ min: 0, max: 15 })),
  masked: fc.oneof(fc.constant(true), fc.boolean()),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    // text that is almost valid: JSON envelopes with a stray byte that breaks UTF-8
    fc.tuple(fc.constantFrom('{"id":1,"service":"system","method":"snapshot","args":{}}', '{"id":'), fc.constantFrom(0xc0, 0xae, 0xff, 0xed, 0xf4)).map(([s, b]) => Uint8Array.from([...Buffer.from(s), b])),
    fc.constantFrom(Uint8Array.from([0x03, 0xe7]), Uint8Array.from([0x03, 0xe8, 0xc3]), Uint8Array.from([0x0b, 0xb8]))
  ),
  declared: fc.constantFrom('exact', 'exact', 'exact', 'shorter', 'longer', 'over-limit', 'over-2^53')
})

type Ending = 'wait' | 'end' | 'reset'
interface FrameCase {
  frames: RawFrame[]
  /** Cut the byte stream here (a truncated frame), or send all of it. */
  cut: number | null
  /** Write in pieces of this size, as a slow network delivers it. */
  chunk: number
  ending: Ending
}
const caseArb: fc.Arbitrary<FrameCase> = fc.record({
  frames: fc.array(frameArb, { minLength: 1, maxLength: 4 }),
  cut: fc.option(fc.nat(), { nil: null }),
  chunk: fc.constantFrom(1, 7, 4096),
  ending: fc.constantFrom<Ending>('wait', 'end', 'reset')
})

async function play(c: FrameCase): Promise<void> {
  const { socket, status, closed } = await rawUpgrade()
  expect(status).toContain('101')
  let bytes = Buffer.concat(c.frames.map(encode))
  if (c.cut !== null) bytes = bytes.subarray(0, c.cut % (bytes.length + 1))
  for (let at = 0; at < bytes.length && !socket.destroyed; at += c.chunk) socket.write(bytes.subarray(at, at + c.chunk))
  if (c.ending === 'reset') socket.resetAndDestroy()
  else if (c.ending === 'end') socket.end()
  // Let the host read what was sent (and close, if it refuses it) before this side lets go.
  await Promise.race([closed, new Promise((r) => setTimeout(r, 150))])
  if (!socket.destroyed) socket.resetAndDestroy()
}

const known = (opcode: number, payload: number[] | Buffer, extra: Partial<RawFrame> = {}): RawFrame => ({ fin: true, rsv: 0, opcode, masked: true, payload: Uint8Array.from(payload), declared: 'exact', ...extra })

describe('browser host under hostile frames', () => {
  it('closes each refused frame with its close code and one log line', async () => {
    const table: [string, RawFrame, number][] = [
      ['invalid UTF-8 in a text frame', known(1, [0x7b, 0xc0, 0xae, 0x7d]), 1007],
      ['a frame over the size limit', known(2, [], { declared: 'over-limit' }), 1009],
      ['an unmasked client frame', known(1, Buffer.from('{}'), { masked: false }), 1002],
      ['a reserved opcode', known(3, Buffer.from('x')), 1002],
      ['a close frame with an invalid code', known(8, [0x03, 0xe7]), 1002],
      ['RSV bits without an extension', known(1, Buffer.from('{}'), { rsv: 4 }), 1002]
    ]
    const logFile = path.join(dir, 'logs', 'host.jsonl')
    const refusals = () => fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('bridge frame refused')).length
    for (const [name, frame, code] of table) {
      const before = refusals()
      const { socket, after, closed } = await rawUpgrade()
      socket.write(encode(frame))
      await closed
      expect(closeCodeIn(after()), name).toBe(code)
      await until(async () => refusals() > before, 10_000, `the log line for ${name}`)
      await hostStillServes()
      expect(refusals() - before, name).toBe(1)
    }
  })

  it('closes a window that floods the bridge with 1008 and keeps serving the others', async () => {
    const flood = await openBridge()
    const code = new Promise<number>((resolve) => flood.once('close', (c) => resolve(c)))
    const call = JSON.stringify({ id: 1, service: 'system', method: 'snapshot', args: {} })
    for (let i = 0; i < 2000; i++) flood.send(call)
    expect(await code).toBe(1008)
    await hostStillServes()
  })

  it('survives refused handshakes that reset while being answered, and garbage instead of HTTP', async () => {
    await Promise.all(
      Array.from({ length: 40 }, () =>
        new Promise<void>((resolve) => {
          const s = net.connect(Number(uiUrl.port), '127.0.0.1', () => {
            s.write(handshake('/not-a-token/bridge'))
            s.resetAndDestroy()
            resolve()
          })
          s.on('error', () => resolve())
        })
      )
    )
    for (const garbage of [Buffer.from('\x16\x03\x01\x02\x00\x01\x00'), Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'), crypto.randomBytes(512)]) {
      const s = net.connect(Number(uiUrl.port), '127.0.0.1')
      s.on('error', () => undefined)
      s.write(garbage)
      let answer = ''
      s.on('data', (d: Buffer) => (answer += String(d)))
      await new Promise((r) => s.once('close', r))
      expect(answer).toMatch(/^HTTP\/1\.1 400/)
    }
    await hostStillServes()
  })

  it('keeps serving another window after any sequence of raw frames, truncations and resets', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        await play(c)
        await hostStillServes()
      }),
      {
        numRuns: 120,
        examples: [
          [{ frames: [known(1, [0xc0, 0xae, 0xff])], cut: null, chunk: 4096, ending: 'wait' }],
          [{ frames: [known(2, [], { declared: 'over-limit' })], cut: null, chunk: 4096, ending: 'wait' }],
          [{ frames: [known(1, Buffer.from('{"id":1,"service":"system"}'))], cut: 8, chunk: 4096, ending: 'reset' }],
          [{ frames: [known(1, Buffer.from('{"id":1}'))], cut: 5, chunk: 1, ending: 'end' }]
        ]
      }
    )
  }, 300_000)
})
