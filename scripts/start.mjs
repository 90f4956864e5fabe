// `npm start`: opens the desktop in the training sandbox. With the Electron
// binary installed, that is the Electron app. Where it could not be downloaded
// (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1), the same core and UI run in
// the browser host and open in a Chromium app window.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const require = createRequire(import.meta.url)
const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
if (build.status !== 0) process.exit(build.status ?? 1)

let electronBinary = null
try {
  const candidate = require('electron') // the path of the binary, when it was downloaded
  if (typeof candidate === 'string' && fs.existsSync(candidate)) electronBinary = candidate
} catch {
  // electron's install step did not run (or the download was skipped)
}

const extra = process.argv.slice(2)
const child = electronBinary
  ? spawn(electronBinary, [root, ...extra], { stdio: 'inherit' })
  : (console.log('未安装 Electron 可执行文件，改用浏览器宿主启动培训沙箱 (no Electron binary: starting the sandbox in the browser host)'),
    spawn(process.execPath, [path.join(root, 'out/main/host.js'), '--open', ...extra], { stdio: 'inherit' }))
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
