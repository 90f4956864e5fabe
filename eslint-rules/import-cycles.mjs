// ESLint rule: fail any import cycle between the files under src/.
//
// A cycle, even one made only of type imports, means two modules cannot be read,
// tested or moved apart: one of them holds something both need, which belongs in a
// third. The rule follows every static, re-export and dynamic import of the linted
// file through the source tree (relative paths and the @shared alias) and reports
// the import that starts a path back to the file, with the whole path.
//
// The graph is read from disk with one scan per file and cached for the lint run;
// a file's entry is refreshed when its modification time changes (editor servers).
import fs from 'node:fs'
import path from 'node:path'

const IMPORT_PATTERNS = [
  // import x from '…', import { a,\n b } from '…', import type …, export … from '…'
  /(?:^|[\n;}])\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  // import '…' (a module run for its effect)
  /(?:^|[\n;}])\s*import\s*['"]([^'"]+)['"]/g,
  // import('…')
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g
]
const EXTENSIONS = ['', '.ts', '.vue', '.mts', '.js', '.mjs', '/index.ts']

const cache = new Map() // file → { mtimeMs, imports: string[] }

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/[^\n]*/g, '$1')
}

export function resolveImport(fromFile, spec, root = process.cwd()) {
  let base
  if (spec === '@shared' || spec.startsWith('@shared/')) base = path.join(root, 'src/shared', spec.slice('@shared'.length))
  else if (spec.startsWith('.')) base = path.resolve(path.dirname(fromFile), spec)
  else return null
  for (const ext of EXTENSIONS) {
    const candidate = base + ext
    try {
      if (fs.statSync(candidate).isFile()) return candidate
    } catch {
      // not this extension
    }
  }
  return null
}

export function importsOf(file, root = process.cwd()) {
  let stat
  try {
    stat = fs.statSync(file)
  } catch {
    return []
  }
  const hit = cache.get(file)
  if (hit && hit.mtimeMs === stat.mtimeMs) return hit.imports
  const text = stripComments(fs.readFileSync(file, 'utf8'))
  const imports = new Set()
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const target = resolveImport(file, m[1], root)
      if (target && isChecked(target, root)) imports.add(target)
    }
  }
  const entry = { mtimeMs: stat.mtimeMs, imports: [...imports] }
  cache.set(file, entry)
  return entry.imports
}

/** Source files only: tests may import what they test from both sides of a seam. */
function isChecked(file, root) {
  const rel = path.relative(root, file).split(path.sep).join('/')
  return rel.startsWith('src/') && !/\.test\.ts$/.test(rel)
}

/** The shortest import path from `start` back to `target`, or null. */
export function pathBack(start, target, root = process.cwd()) {
  const previous = new Map([[start, null]])
  const queue = [start]
  while (queue.length) {
    const file = queue.shift()
    for (const next of importsOf(file, root)) {
      if (next === target) {
        const chain = [file]
        for (let f = previous.get(file); f; f = previous.get(f)) chain.unshift(f)
        return chain
      }
      if (!previous.has(next)) {
        previous.set(next, file)
        queue.push(next)
      }
    }
  }
  return null
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'forbid import cycles between source files' },
    schema: [],
    messages: { cycle: 'Import cycle: {{chain}}. Move what both sides need into a module of its own.' }
  },
  create(context) {
    const file = context.filename ?? context.getFilename()
    const root = process.cwd()
    if (!isChecked(file, root)) return {}
    const rel = (f) => path.relative(root, f).split(path.sep).join('/')

    function check(node, spec) {
      if (typeof spec !== 'string') return
      const target = resolveImport(file, spec, root)
      if (!target || !isChecked(target, root)) return
      if (target === file) {
        context.report({ node, messageId: 'cycle', data: { chain: `${rel(file)} → itself` } })
        return
      }
      const chain = pathBack(target, file, root)
      if (chain) context.report({ node, messageId: 'cycle', data: { chain: [file, ...chain, file].map(rel).join(' → ') } })
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value)
    }
  }
}
