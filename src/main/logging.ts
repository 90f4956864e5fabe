import fs from 'node:fs'
import path from 'node:path'

/**
 * The core logs through this interface so it needs no Electron: the app wires
 * electron-log to it, the browser host a JSON-lines file, tests an array.
 */
export interface Logger {
  info(message: string, detail?: Record<string, unknown>): void
  warn(message: string, detail?: Record<string, unknown>): void
  error(message: string, detail?: Record<string, unknown>): void
}

type Level = 'info' | 'warn' | 'error'

/** Appends one JSON object per line; mirrors warnings and errors to stderr. */
export function createFileLogger(file: string, opts: { echo?: boolean } = {}): Logger {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const fd = fs.openSync(file, 'a')
  const write = (level: Level, message: string, detail?: Record<string, unknown>) => {
    const line = JSON.stringify({ at: new Date().toISOString(), level, message, ...detail })
    fs.write(fd, line + '\n', () => undefined)
    if (opts.echo !== false && level !== 'info') process.stderr.write(`[${level}] ${message}${detail ? ' ' + JSON.stringify(detail) : ''}\n`)
  }
  return {
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d)
  }
}

/** Collects entries in memory: for tests that assert something was logged. */
export function createMemoryLogger(): Logger & { entries: { level: Level; message: string; detail?: Record<string, unknown> }[] } {
  const entries: { level: Level; message: string; detail?: Record<string, unknown> }[] = []
  return {
    entries,
    info: (message, detail) => entries.push({ level: 'info', message, detail }),
    warn: (message, detail) => entries.push({ level: 'warn', message, detail }),
    error: (message, detail) => entries.push({ level: 'error', message, detail })
  }
}
