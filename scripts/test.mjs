// `npm test`: every check in order — lint (with the layer rule), type checks for
// each runtime, the Electron security gate, the build, unit tests (vitest) and
// end-to-end tests (node:test + Chromium in a network namespace). Every stage
// runs even if an earlier one failed, so one run shows everything that is wrong;
// the last line sums the tests of all stages: "N passed, N failed, N skipped".
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const vitestJson = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'desk-vitest-')), 'report.json')
const only = process.argv.slice(2)

const stages = [
  { name: 'lint', cmd: ['npx', 'eslint', '--max-warnings', '0', '.'] },
  { name: 'typecheck', cmd: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'security', cmd: ['node', 'tests/security/electronegativity-gate.mjs'] },
  { name: 'build', cmd: ['npx', 'electron-vite', 'build'], quiet: true },
  { name: 'unit', cmd: ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${vitestJson}`], counts: 'vitest' },
  { name: 'e2e', cmd: ['node', 'tests/e2e/run.mjs'], counts: 'node-test' },
  // The softphone against a real Kamailio (tests/rig, tests/phone) in its own loopback-only namespace.
  { name: 'rig', cmd: ['node', 'tests/rig/run.mjs'], counts: 'node-test' }
].filter((s) => !only.length || only.includes(s.name))

function run(stage) {
  return new Promise((resolve) => {
    const started = Date.now()
    console.log(`\n━━ ${stage.name}: ${stage.cmd.join(' ')}`)
    const child = spawn(stage.cmd[0], stage.cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const forward = (stream) => (d) => {
      out += d
      if (!stage.quiet) stream.write(d)
    }
    child.stdout.on('data', forward(process.stdout))
    child.stderr.on('data', forward(process.stderr))
    child.on('exit', (code) => {
      if (stage.quiet && code !== 0) process.stdout.write(out)
      resolve({ code: code ?? 1, out, seconds: (Date.now() - started) / 1000 })
    })
  })
}

const totals = { passed: 0, failed: 0, skipped: 0 }
const summary = []
for (const stage of stages) {
  const { code, out, seconds } = await run(stage)
  let counted = false
  if (stage.counts === 'vitest' && fs.existsSync(vitestJson)) {
    const r = JSON.parse(fs.readFileSync(vitestJson, 'utf8'))
    totals.passed += r.numPassedTests
    totals.failed += r.numFailedTests
    totals.skipped += r.numPendingTests + r.numTodoTests
    counted = true
  } else if (stage.counts === 'node-test') {
    const num = (label) => Number((out.match(new RegExp(`ℹ ${label} (\\d+)`)) ?? [])[1] ?? 0)
    totals.passed += num('pass')
    totals.failed += num('fail')
    totals.skipped += num('skipped') + num('todo')
    counted = /ℹ tests \d+/.test(out)
  }
  // A stage that failed without failing a counted test (lint, types, build, a crash) counts as one failure.
  if (code !== 0 && (!counted || totals.failed === 0)) totals.failed += 1
  summary.push(`${code === 0 ? 'ok  ' : 'FAIL'} ${stage.name.padEnd(10)} ${seconds.toFixed(1)} s`)
}
console.log(`\n━━ summary\n${summary.join('\n')}`)
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(summary.some((l) => l.startsWith('FAIL')) ? 1 : 0)
