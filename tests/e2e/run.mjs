// Runs the end-to-end specs inside a loopback-only network namespace, so the
// browser host, Chromium and every SIP/HTTP peer can reach 127.0.0.1 and
// nothing else. Re-executes itself under `unshare --net` (root required).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const files = process.argv.slice(2).length ? process.argv.slice(2) : fs.readdirSync(path.join(root, 'tests/e2e')).filter((f) => f.endsWith('.e2e.ts')).map((f) => `tests/e2e/${f}`)

if (!process.env.E2E_IN_NETNS) {
  const probe = spawnSync('unshare', ['--net', 'true'])
  if (probe.status !== 0) {
    console.error('e2e: cannot create a network namespace (needs root and util-linux `unshare`); refusing to run network tests outside one')
    process.exit(1)
  }
  const inner = `ip link set lo up && E2E_IN_NETNS=1 exec ${JSON.stringify(process.execPath)} ${JSON.stringify(new URL(import.meta.url).pathname)} ${files.map((f) => JSON.stringify(f)).join(' ')}`
  const res = spawnSync('unshare', ['--net', 'sh', '-c', inner], { stdio: 'inherit', cwd: root })
  process.exit(res.status ?? 1)
}

const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root })
process.exit(res.status ?? 1)
