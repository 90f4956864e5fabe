import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Linter } from 'eslint'
import tseslint from 'typescript-eslint'
import importCycles, { pathBack } from '../../eslint-rules/import-cycles.mjs'

let root: string
const write = (rel: string, text: string) => {
  const file = path.join(root, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
  return file
}

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-')))
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

describe('import cycles', () => {
  it('follows multi-line type imports, re-exports and dynamic imports back to the file', () => {
    const a = write('src/main/a.ts', "import { b } from './b'\nexport const a = b\n")
    const b = write('src/main/b.ts', "import {\n  type C,\n  c\n} from './c'\nexport const b = c\n")
    const c = write('src/main/c.ts', "export * from './d'\nexport const c = 1\nexport type C = number\n")
    write('src/main/d.ts', "export const load = () => import('./a')\n")
    expect(pathBack(b, a, root)?.map((f) => path.basename(f))).toEqual(['b.ts', 'c.ts', 'd.ts'])
    expect(pathBack(c, b, root)).not.toBeNull()
  })

  it('ignores imports in comments, tests and packages, and resolves the @shared alias', () => {
    const a = write('src/shared/a.ts', "// import { b } from './b'\n/* import './b' */\nimport { z } from 'zod'\nexport const a = z\n")
    const b = write('src/shared/b.ts', "import { a } from '@shared/a'\nexport const b = a\n")
    write('src/shared/a.test.ts', "import { b } from './b'\n")
    expect(pathBack(a, b, root)).toBeNull()
    expect(pathBack(b, a, root)).toEqual([b])
    const a2 = write('src/shared/a2.ts', "import { b2 } from '@shared/b2'\nexport const a2 = 1\n")
    const b2 = write('src/shared/b2.ts', "import { a2 } from './a2'\nexport const b2 = a2\n")
    expect(pathBack(b2, a2, root)).toEqual([b2])
  })

  it('reports the import that closes a cycle, naming the whole path', () => {
    write('src/platform/tickets.ts', "import { createTask } from './callbacks'\nexport const markDone = () => createTask()\n")
    const text = "import type { Row } from './rows'\nimport { markDone } from './tickets'\nexport const createTask = () => markDone\n"
    const file = write('src/platform/callbacks.ts', text)
    write('src/platform/rows.ts', 'export type Row = number\n')
    const cwd = process.cwd()
    process.chdir(root)
    try {
      const linter = new Linter({ configType: 'flat' })
      const messages = linter.verify(
        text,
        [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { local: { rules: { 'import-cycles': importCycles } } }, rules: { 'local/import-cycles': 'error' } }],
        file
      )
      expect(messages.map((m) => [m.line, m.message])).toEqual([
        [2, 'Import cycle: src/platform/callbacks.ts → src/platform/tickets.ts → src/platform/callbacks.ts. Move what both sides need into a module of its own.']
      ])
    } finally {
      process.chdir(cwd)
    }
  })
})
