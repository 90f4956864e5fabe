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

/**
 * JSON.stringify escapes quotes, backslashes and C0 controls (newline, ESC) but leaves C1 controls, which some
 * terminals obey like ESC, and the line separators U+2028/U+2029, which some viewers break lines at. Outside
 * strings JSON is plain ASCII, so escaping these anywhere in the text keeps it valid JSON.
 */
const UNESCAPED_BY_JSON = /[\u007f-\u009f\u2028\u2029]/g

/**
 * One value as log text: JSON, with every character that could end a line or steer a terminal escaped, so a value
 * (or a key) chosen by whoever sent it can never forge a line or hide one. Never throws: a value JSON cannot hold
 * (a cycle) is logged as such.
 */
export function logJson(value: unknown): string {
  let text: string
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null'
  } catch {
    text = JSON.stringify({ unserialisable: String(Object.prototype.toString.call(value)) })
  }
  return text.replace(UNESCAPED_BY_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A message as log text without its quotes: the same escaping as logJson, for formats that are not JSON. */
export function logText(message: string): string {
  return logJson(message).slice(1, -1)
}

/** A message and its detail as one line of text (stderr, electron-log's own line format), escaped as logJson does. */
export function logLineText(message: string, detail?: Record<string, unknown>): string {
  return detail ? `${logText(message)} ${logJson(detail)}` : logText(message)
}

const RESERVED = new Set(['at', 'level', 'message'])

/**
 * One JSON line: time, level and message first, then the detail's fields. A detail field named like one of the
 * first three is kept as `detail.<name>`: a logged value can never pass for the line's own time or level.
 */
export function formatLogLine(level: Level, message: string, detail?: Record<string, unknown>, at: Date = new Date()): string {
  const entry: Record<string, unknown> = { at: at.toISOString(), level, message }
  if (detail) for (const [key, value] of Object.entries(detail)) entry[RESERVED.has(key) ? `detail.${key}` : key] = value
  return logJson(entry)
}

export interface FileLoggerOptions {
  /** Mirror warnings and errors to stderr (default true). */
  echo?: boolean
  /** The file is rotated when it grows past this (default 10 MiB)… */
  maxBytes?: number
  /** …keeping this many older files, `<file>.1` the newest (default 3): at most (keep + 1) × maxBytes on disk. */
  keep?: number
}

/**
 * Appends one JSON object per line to a file only the user can read (its folder 0700, the file 0600, tightened if an
 * older version made them wider), rotating at a size cap; mirrors warnings and errors to stderr. Lines are written
 * synchronously: a few hundred bytes to the page cache, in order, and never lost to a crash right after.
 */
export function createFileLogger(file: string, opts: FileLoggerOptions = {}): Logger {
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024
  const keep = Math.max(1, opts.keep ?? 3)
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  fs.chmodSync(path.dirname(file), 0o700)
  let fd = -1
  let size = 0
  const openFile = () => {
    fd = fs.openSync(file, 'a', 0o600)
    fs.fchmodSync(fd, 0o600)
    size = fs.fstatSync(fd).size
  }
  const rotate = () => {
    fs.closeSync(fd)
    fs.rmSync(`${file}.${keep}`, { force: true })
    for (let i = keep - 1; i >= 1; i--) if (fs.existsSync(`${file}.${i}`)) fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`)
    fs.renameSync(file, `${file}.1`)
    openFile()
  }
  openFile()
  const write = (level: Level, message: string, detail?: Record<string, unknown>) => {
    const line = Buffer.from(formatLogLine(level, message, detail) + '\n', 'utf8')
    try {
      if (size > 0 && size + line.length > maxBytes) rotate()
      fs.writeSync(fd, line)
      size += line.length
    } catch (err) {
      // A full disk or a removed folder must not take the desk down with it.
      process.stderr.write(`[error] log not written: ${logText((err as Error).message)}\n`)
    }
    if (opts.echo !== false && level !== 'info') process.stderr.write(`[${level}] ${logLineText(message, detail)}\n`)
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
