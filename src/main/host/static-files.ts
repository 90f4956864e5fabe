import fs from 'node:fs'
import path from 'node:path'
import type { Caller } from '../../shared/ipc/contract'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.ico': 'image/x-icon'
}

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** The page each window kind opens, as Vite's manifest names its entry. */
export const ENTRY: Record<Caller, string> = { ui: 'renderer/index.html', phone: 'phone/index.html' }

/** Vite's build manifest (out/renderer/.vite/manifest.json): what each entry and chunk pulls in. */
type Manifest = Record<string, { file: string; imports?: string[]; dynamicImports?: string[]; css?: string[]; assets?: string[] }>

export class BundleError extends Error {}

/**
 * The exact files each window kind may load, by their path under the bundle
 * folder: its page and everything its entry imports (chunks, styles, audio),
 * read from the build manifest. A window gets nothing else, so neither a path
 * trick nor a guessed name reaches the other window's bundle or any other file.
 */
export function bundleFiles(staticDir: string): Record<Caller, Map<string, string>> {
  const manifestFile = path.join(staticDir, '.vite', 'manifest.json')
  let manifest: Manifest
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest
  } catch (err) {
    throw new BundleError(`界面包的构建清单无法读取 (the bundle's build manifest is missing or unreadable: ${manifestFile}): run \`npm run build\` (${(err as Error).message})`)
  }
  const filesOf = (entry: string): Map<string, string> => {
    const files = new Map<string, string>()
    const add = (rel: string) => files.set(rel, path.join(staticDir, rel))
    const visit = (key: string, seen: Set<string>) => {
      const chunk = manifest[key]
      if (!chunk || seen.has(key)) return
      seen.add(key)
      add(chunk.file)
      for (const f of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) add(f)
      for (const k of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(k, seen)
    }
    if (!manifest[entry]) throw new BundleError(`构建清单中没有入口 ${entry} (the build manifest has no entry ${entry}): run \`npm run build\``)
    add(entry)
    visit(entry, new Set())
    return files
  }
  return { ui: filesOf(ENTRY.ui), phone: filesOf(ENTRY.phone) }
}

/**
 * Decodes a request path (below the window's credential) exactly once and
 * normalises it, so every later check sees what the file system would: null for
 * anything that is not a plain relative path of named segments (a malformed or
 * overlong escape, NUL, a backslash, `.`/`..` or empty segments, a leading `/`).
 * Whatever is still escaped after one decoding stays literal, and names no file.
 */
export function decodeRequestPath(rawPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return null
  }
  if (/[\0\\]/.test(decoded)) return null
  const segments = decoded.split('/')
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null
  return segments.join('/')
}
