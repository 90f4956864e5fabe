import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * A desk's files hold citizen data (sealed, but still): its folders are for this
 * user only (0700) and its files readable by this user only (0600). Modes are set
 * when a file is made, whatever the umask, and tightened when an older version
 * made it wider. Sync on purpose: these run at start and at rare writes, before
 * anything else touches the file.
 */
const DIR_MODE = 0o700
const FILE_MODE = 0o600

function chmodIfWider(file: string, mode: number): boolean {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
  if ((stat.mode & 0o777 & ~mode) === 0) return false
  fs.chmodSync(file, mode)
  return true
}

/** Creates the folder and any missing parents as 0700; an existing folder is left as it is. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE })
}

/**
 * A folder the desk owns (the profile folder, its logs, recordings): created as 0700, tightened if it exists wider.
 * A shared folder is never narrowed, should a configuration point there: not one with the sticky bit (/tmp), the home
 * folder or the root.
 */
export function ensurePrivateDir(dir: string): boolean {
  makePrivateDir(dir)
  const resolved = path.resolve(dir)
  if (resolved === path.parse(resolved).root || resolved === os.homedir() || (fs.statSync(resolved).mode & 0o1000) !== 0) return false
  return chmodIfWider(resolved, DIR_MODE)
}

/** Tightens an existing file to 0600 (a missing one is fine). Returns whether it changed the mode. */
export function tightenFile(file: string): boolean {
  return chmodIfWider(file, FILE_MODE)
}

/** Makes sure the file exists, empty if new, as 0600. */
export function createPrivateFile(file: string): void {
  const fd = fs.openSync(file, 'a', FILE_MODE)
  try {
    fs.fchmodSync(fd, FILE_MODE)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Prepares an SQLite file before it is opened: the database exists as 0600 before SQLite opens it, because SQLite
 * gives its -wal and -shm files the database file's mode; those of an older version are tightened too.
 */
export function preparePrivateDatabase(file: string): void {
  createPrivateFile(file)
  for (const suffix of ['-wal', '-shm', '-journal']) tightenFile(file + suffix)
}

/** Replaces the file with `data` atomically (temp file as 0600, fsync, rename, fsync of the folder). */
export function writePrivateFileAtomic(file: string, data: Buffer): void {
  const tmp = `${file}.tmp`
  fs.rmSync(tmp, { force: true })
  const fd = fs.openSync(tmp, 'wx', FILE_MODE)
  try {
    fs.writeFileSync(fd, data)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file)
  const dir = fs.openSync(path.dirname(file), 'r')
  try {
    fs.fsyncSync(dir)
  } finally {
    fs.closeSync(dir)
  }
}

/** Tightens a folder and every file in it (recordings made by an older version). Returns how many modes changed. */
export function tightenFolder(dir: string): number {
  if (!fs.existsSync(dir)) return 0
  let changed = ensurePrivateDir(dir) ? 1 : 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isFile() && tightenFile(path.join(dir, entry.name))) changed++
  return changed
}
