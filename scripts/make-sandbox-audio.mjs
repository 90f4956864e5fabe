// Regenerates the sandbox citizens' voices (resources/sandbox/audio/*.ogg) from
// the lines in resources/sandbox/scenarios.json with Debian's espeak-ng (Mandarin)
// and sox. The files are committed; run this only after editing a line's text.
//   apt-get install espeak-ng sox && node scripts/make-sandbox-audio.mjs
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const dir = path.join(root, 'resources/sandbox')
const { scenarios, callee } = JSON.parse(fs.readFileSync(path.join(dir, 'scenarios.json'), 'utf8'))
const raw = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'voice-')), 'raw.wav')
// The scenarios' callers, then the citizen who answers the agent's callbacks.
for (const s of [...scenarios, ...(callee ? [callee] : [])])
  for (const line of s.lines) {
    execFileSync('espeak-ng', ['-v', 'cmn', '-s', '185', '-p', '45', '-w', raw, line.text])
    // 16 kHz mono Vorbis: telephone-band speech at ~30 kB per line; a short tail of silence between lines.
    execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-C', '2', path.join(dir, 'audio', line.file), 'norm', '-3', 'pad', '0', '0.4'])
    console.log(line.file)
  }
