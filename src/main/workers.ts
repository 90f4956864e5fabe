import fs from 'node:fs'
import path from 'node:path'

/**
 * Finds a worker thread's script: the bundled `<name>.js` beside main's bundle
 * (electron-vite builds each worker as its own entry), or, when running from
 * source (unit tests, tsx), the TypeScript file run through tsx's loader.
 */
export function resolveWorkerScript(bundledName: string, sourceFile: string): { file: string; execArgv: string[] } {
  const bundled = path.join(__dirname, `${bundledName}.js`)
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] }
  return { file: sourceFile, execArgv: ['--require', 'tsx/cjs'] }
}
