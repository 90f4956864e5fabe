// Security gate: runs @doyensec/electronegativity over src/ and fails on any
// finding above informational ("note") that is not justified in
// electronegativity-justified.json. The tool exits 0 even with findings, so the
// gate reads its SARIF output instead. It tries to fetch Electron's release list
// and translations from the internet: it runs in a network namespace with no
// interfaces, so nothing leaves the machine.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const sarif = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'electronegativity-')), 'report.sarif')
const electronVersion = require(path.join(root, 'node_modules/electron/package.json')).version
const cli = require.resolve('@doyensec/electronegativity/dist/index.js')
const args = [cli, '-i', path.join(root, 'src'), '-o', sarif, '-r', '-v', 'false', '-e', electronVersion]

const canIsolate = process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0
const run = canIsolate ? spawnSync('unshare', ['--net', process.execPath, ...args], { encoding: 'utf8' }) : spawnSync(process.execPath, args, { encoding: 'utf8' })
if (!canIsolate) console.warn('electronegativity gate: not isolated in a network namespace (not root); the tool may try the network')
if (run.status !== 0 || !fs.existsSync(sarif)) {
  console.error(`electronegativity failed to run (exit ${run.status}):\n${run.stderr}`)
  process.exit(1)
}

const report = JSON.parse(fs.readFileSync(sarif, 'utf8'))
const justified = JSON.parse(fs.readFileSync(path.join(root, 'tests/security/electronegativity-justified.json'), 'utf8'))
const results = report.runs.flatMap((r) => r.results)
const rank = { none: 0, note: 1, warning: 2, error: 3 }
const findings = results.map((r) => ({
  ruleId: r.ruleId,
  level: r.level ?? 'warning',
  file: r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?',
  line: r.locations?.[0]?.physicalLocation?.region?.startLine ?? 0
}))
const blocking = findings.filter((f) => rank[f.level] > rank.note && !justified.some((j) => j.ruleId === f.ruleId && f.file.endsWith(j.file) && j.reason?.length > 20))

for (const f of findings) console.log(`${blocking.includes(f) ? 'FAIL' : 'ok  '} ${f.level.padEnd(7)} ${f.ruleId} ${f.file}:${f.line}`)
console.log(`electronegativity gate: ${findings.length} findings, ${findings.filter((f) => rank[f.level] <= rank.note).length} informational, ${blocking.length} blocking`)
process.exit(blocking.length ? 1 : 0)
