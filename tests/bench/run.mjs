// Runs one benchmark (tests/bench/NAME.ts) inside a loopback-only network namespace.
import { spawnSync } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const [name, ...rest] = process.argv.slice(2)
const file = path.join(root, 'tests/bench', `${name}.ts`)
const inner = `ip link set lo up && exec ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(file)} ${rest.map((a) => JSON.stringify(a)).join(' ')}`
const res = spawnSync('unshare', ['--net', 'sh', '-c', inner], { stdio: 'inherit', cwd: root })
process.exit(res.status ?? 1)
