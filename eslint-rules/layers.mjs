// ESLint rule: fail any import that crosses the layers drawn in ARCHITECTURE.md.
//
// Each file under src/ belongs to one layer (src/<layer>/…, with src/main/app/ a
// layer of its own because it alone may touch Electron). An import is checked by
// what it points at: another layer's folder (relative paths and the @shared alias
// are resolved), a Node builtin, or an npm package. The tables below are the
// whole policy; a wrong-layer import is an error naming both layers.
import { builtinModules } from 'node:module'
import path from 'node:path'

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))

/** Which source layers each layer may import from. */
const ALLOWED_LAYERS = {
  shared: ['shared'],
  main: ['main', 'main/sandbox', 'shared'],
  'main/app': ['main/app', 'main', 'shared'],
  // Only the sandbox wiring may embed the reference platform inside main.
  'main/sandbox': ['main/sandbox', 'main', 'shared', 'platform'],
  preload: ['preload', 'shared'],
  phone: ['phone', 'shared'],
  renderer: ['renderer', 'shared'],
  platform: ['platform', 'shared']
}

/** npm packages (by name prefix) and the layers that may use them. */
const PACKAGE_LAYERS = [
  { match: /^electron$/, layers: ['main/app', 'preload'], why: 'Electron is wired only in src/main/app (and the preload bridge)' },
  { match: /^(electron-updater|electron-log)(\/|$)/, layers: ['main/app'], why: 'Electron services live in src/main/app' },
  { match: /^better-sqlite3$/, layers: ['main', 'main/sandbox', 'platform'], why: 'SQLite belongs to main and the platform service' },
  { match: /^sip\.js(\/|$)/, layers: ['phone'], why: 'sip.js runs only in the phone host' },
  { match: /^(vue|pinia|element-plus|@element-plus\/|vue-i18n|@vueuse\/|vue-router)/, layers: ['renderer'], why: 'Vue and Element Plus belong to the renderer' },
  { match: /^(fastify|@fastify\/)/, layers: ['platform'], why: 'the HTTP framework belongs to the platform service' },
  { match: /^ws$/, layers: ['main', 'main/sandbox', 'platform'], why: 'WebSocket servers run in Node only' }
]

/** Test-only packages a unit test beside the code may import in any layer. */
const TEST_PACKAGES = /^(vitest|fast-check|@vue\/test-utils|happy-dom)(\/|$)/

/** Packages shared/ may use: no runtime at all, only pure libraries. */
const SHARED_PACKAGES = /^zod(\/|$)/

export function layerOfFile(file) {
  const rel = path.relative(process.cwd(), file).split(path.sep).join('/')
  const m = /^src\/([^/]+)(?:\/([^/]+))?/.exec(rel)
  if (!m) return null
  if (m[1] === 'main' && (m[2] === 'app' || m[2] === 'sandbox')) return `main/${m[2]}`
  return ALLOWED_LAYERS[m[1]] ? m[1] : null
}

function packageName(spec) {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'forbid imports across the layers of ARCHITECTURE.md' },
    schema: [],
    messages: {
      layer: "Layer '{{from}}' may not import from layer '{{to}}' ({{spec}}).",
      node: "Layer '{{from}}' may not use the Node builtin '{{spec}}' (no Node runtime there).",
      pkg: "Layer '{{from}}' may not import '{{spec}}': {{why}}.",
      shared: "src/shared must stay runtime-free: '{{spec}}' is not allowed there (only zod)."
    }
  },
  create(context) {
    const file = context.filename ?? context.getFilename()
    const from = layerOfFile(file)
    if (!from) return {}

    function check(node, spec) {
      if (typeof spec !== 'string') return
      if (spec.startsWith('.') || spec.startsWith('@shared/') || spec === '@shared') {
        const target = spec.startsWith('@shared')
          ? path.join(process.cwd(), 'src/shared', spec.slice('@shared'.length))
          : path.resolve(path.dirname(file), spec)
        const to = layerOfFile(target)
        if (to && !ALLOWED_LAYERS[from].includes(to)) context.report({ node, messageId: 'layer', data: { from, to, spec } })
        return
      }
      if (NODE_BUILTINS.has(spec) || spec.startsWith('node:')) {
        if (!['main', 'main/app', 'main/sandbox', 'platform'].includes(from)) context.report({ node, messageId: 'node', data: { from, spec } })
        return
      }
      const name = packageName(spec)
      if (/\.test\.ts$/.test(file) && TEST_PACKAGES.test(name)) return
      if (from === 'shared' && !SHARED_PACKAGES.test(name)) {
        context.report({ node, messageId: 'shared', data: { spec } })
        return
      }
      for (const rule of PACKAGE_LAYERS) {
        if (rule.match.test(name) && !rule.layers.includes(from)) {
          context.report({ node, messageId: 'pkg', data: { from, spec, why: rule.why } })
          return
        }
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value)
        }
      }
    }
  }
}
