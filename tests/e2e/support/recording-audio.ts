/**
 * A whole recording read the way the 录音 player reads it: recordings.audio in
 * byte ranges until `total`, joined (for tests that decode the audio in a page).
 */
type Call = (args: { id: string; offset: number; length: number }) => Promise<{ ok: boolean; value?: unknown; error?: unknown }>

export async function recordingAudio(call: Call, id: string, length = 1024 * 1024): Promise<{ data: string; ranges: number; total: number }> {
  const parts: Buffer[] = []
  let total = Infinity
  let offset = 0
  while (offset < total) {
    const r = await call({ id, offset, length })
    if (!r.ok) throw new Error(`recordings.audio at ${offset}: ${JSON.stringify(r.error)}`)
    const v = r.value as { data: string; total: number }
    const bytes = Buffer.from(v.data, 'base64')
    if (!bytes.length) break
    parts.push(bytes)
    total = v.total
    offset += bytes.length
  }
  return { data: Buffer.concat(parts).toString('base64'), ranges: parts.length, total: offset }
}
