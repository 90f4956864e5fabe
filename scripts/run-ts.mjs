// Runs a TypeScript entry point under plain Node with tsx's loader, forwarding
// arguments, stdio and termination signals, and exiting with the child's code.
// Used by `npm run platform` and `npm run dispatch` (no build step needed).
import { spawn } from 'node:child_process'

const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs FILE.ts [args...]')
  process.exit(2)
}
const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal))
}
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal)
  else process.exit(code ?? 1)
})
