import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'

export const ROOT = path.resolve(__dirname, '../../..')

export interface RunningHost {
  url: string
  origin: string
  dataDir: string
  proc: ChildProcess
  output: string[]
  stop(): Promise<void>
}

/** Starts the real browser host (the built bundle) and waits for its HOST_URL line. */
export async function startHost(opts: { dataDir?: string; args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunningHost> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'desk-e2e-'))
  const proc = spawn(process.execPath, [path.join(ROOT, 'out/main/host.js'), '--data-dir', dataDir, '--port', '0', ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const output: string[] = []
  proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not print HOST_URL in time:\n${output.join('')}`)), opts.timeoutMs ?? 60_000)
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      output.push(line)
      const m = /^HOST_URL=(.+)$/.exec(line)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`host exited (${code}) before ready:\n${output.join('')}`))
    })
  })
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    proc,
    output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve()
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000)
        proc.once('exit', () => {
          clearTimeout(t)
          resolve()
        })
        proc.kill('SIGTERM')
      })
  }
}

/** The embedded platform's URL, from the host's own log (the core logs it when it starts). */
export function platformUrlOf(host: RunningHost): string {
  const file = path.join(host.dataDir, 'logs', 'host.jsonl')
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('core started')) continue
    const url = (JSON.parse(line) as { platformUrl?: string }).platformUrl
    if (url) return url
  }
  throw new Error('platform URL not found in the host log')
}
