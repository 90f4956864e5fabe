// Runs the SIP rig tests (tests/rig/*.e2e.ts, tests/phone/*.e2e.ts: real Kamailio,
// sip.js in Node) inside a loopback-only network namespace, like tests/e2e/run.mjs.
// Re-executes itself under `unshare --net` (root required) with `ip link set lo up`.
//   node tests/rig/run.mjs                      every rig spec
//   node tests/rig/run.mjs tests/phone/x.e2e.ts  some of them
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const specs = (dir) => (fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.e2e.ts')).map((f) => `${dir}/${f}`) : [])
const files = process.argv.slice(2).length ? process.argv.slice(2) : [...specs('tests/rig'), ...specs('tests/phone')]

if (!process.env.RIG_IN_NETNS) {
  const probe = spawnSync('unshare', ['--net', 'true'])
  if (probe.status !== 0) {
    console.error('rig: cannot create a network namespace (needs root and util-linux `unshare`); refusing to run SIP tests outside one')
    process.exit(1)
  }
  const inner = `ip link set lo up && RIG_IN_NETNS=1 exec ${JSON.stringify(process.execPath)} ${JSON.stringify(new URL(import.meta.url).pathname)} ${files.map((f) => JSON.stringify(f)).join(' ')}`
  const res = spawnSync('unshare', ['--net', 'sh', '-c', inner], { stdio: 'inherit', cwd: root })
  process.exit(res.status ?? 1)
}

const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root })
process.exit(res.status ?? 1)
