import fs from 'node:fs'
import path from 'node:path'

/**
 * Finds a worker thread's script: the bundled `<name>.js` beside main's bundle
 * (electron-vite builds each worker as its own entry), or, when running from
 * source (unit tests, tsx), the TypeScript file run through tsx's loader.
 */
export function resolveWorkerScript(bundledName: string, sourceFile: string): { file: string; execArgv: string[] } {
  // Shared code may land in out/main/chunks/, one level below the entries.
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const bundled = path.join(dir, `${bundledName}.js`)
    if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] }
  }
  return { file: sourceFile, execArgv: ['--require', 'tsx/cjs'] }
}
