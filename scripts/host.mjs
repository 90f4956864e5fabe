// `npm run host -- [--config FILE] [--port N] ...`: builds the bundles if they are
// missing (or with --build), then runs the browser host from the same main
// bundle Electron runs.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const args = process.argv.slice(2)
const rebuild = args.includes('--build')
const hostArgs = args.filter((a) => a !== '--build')
if (rebuild || !fs.existsSync(path.join(root, 'out/main/host.js')) || !fs.existsSync(path.join(root, 'out/renderer/.vite/manifest.json'))) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
  if (build.status !== 0) process.exit(build.status ?? 1)
}
const child = spawn(process.execPath, [path.join(root, 'out/main/host.js'), ...hostArgs], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 1))
