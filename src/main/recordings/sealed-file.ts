import fs from 'node:fs/promises'
import type { FieldCipher } from '../crypto/field-cipher'

/**
 * A recording on disk: a sequence of frames, each `length (u32 BE) | AES-GCM
 * sealed chunk` (FieldCipher's format). Appending a chunk is one write and one
 * fdatasync, so a chunk that was acknowledged survives a crash; a torn last frame
 * (power cut mid-write) is detected on read by its length or its tag and dropped.
 * No plaintext audio ever reaches the disk.
 */
const LEN = 4

export interface ReadResult {
  chunks: Buffer[]
  /** Bytes up to the end of the last whole, authentic frame. */
  validBytes: number
  /** Bytes after it (a torn write), dropped. */
  tornBytes: number
}

export async function appendSealed(file: string, cipher: FieldCipher, plain: Buffer): Promise<number> {
  const sealed = cipher.encrypt(plain)
  const frame = Buffer.alloc(LEN + sealed.length)
  frame.writeUInt32BE(sealed.length, 0)
  sealed.copy(frame, LEN)
  const fh = await fs.open(file, 'a', 0o600)
  try {
    await fh.write(frame)
    await fh.datasync()
  } finally {
    await fh.close()
  }
  return frame.length
}

export async function readSealed(file: string, cipher: FieldCipher): Promise<ReadResult> {
  const buf = await fs.readFile(file)
  const chunks: Buffer[] = []
  let pos = 0
  while (pos + LEN <= buf.length) {
    const len = buf.readUInt32BE(pos)
    if (pos + LEN + len > buf.length) break
    try {
      chunks.push(cipher.decrypt(buf.subarray(pos + LEN, pos + LEN + len)))
    } catch {
      break
    }
    pos += LEN + len
  }
  return { chunks, validBytes: pos, tornBytes: buf.length - pos }
}

/** Cuts a torn tail off before appending again (after a crash mid-write). */
export async function repairSealed(file: string, cipher: FieldCipher): Promise<ReadResult | null> {
  let read: ReadResult
  try {
    read = await readSealed(file, cipher)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  if (read.tornBytes > 0) await fs.truncate(file, read.validBytes)
  return read
}

/** Replaces the file with one sealed frame holding `plain`, atomically (temp file, fsync, rename). */
export async function replaceSealed(file: string, cipher: FieldCipher, plain: Buffer): Promise<void> {
  const tmp = `${file}.tmp`
  await fs.rm(tmp, { force: true })
  await appendSealed(tmp, cipher, plain)
  await fs.rename(tmp, file)
}
