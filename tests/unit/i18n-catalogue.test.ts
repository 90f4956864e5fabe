import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { MESSAGE_KEYS, MESSAGE_PARAMS } from '../../src/shared/messages'
import { messages } from '../../src/renderer/i18n'

type Tree = { [key: string]: string | Tree }
const catalogues = messages as unknown as Record<'zh-CN' | 'en', Tree>

/** Every text's full key (a.b.c) in one catalogue. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v)
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv)
  }
  return out
}

function node(tree: Tree, key: string): string | Tree | undefined {
  return key.split('.').reduce<string | Tree | undefined>((n, part) => (n && typeof n === 'object' ? n[part] : undefined), tree)
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(full)
    return /\.(vue|ts)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [full] : []
  })
}

/** The keys the renderer's code asks for: t('a.b') literally, or t(`a.b.${x}`) for a whole group. */
function keysInCode(): { file: string; key: string; group: boolean }[] {
  const root = path.resolve(__dirname, '../../src/renderer')
  return sourceFiles(root).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8')
    const literal = [...text.matchAll(/(?<![\w.])\$?t\(\s*(['"])([\w.-]+)\1/g)].map((m) => ({ file, key: m[2]!, group: false }))
    const grouped = [...text.matchAll(/(?<![\w.])\$?t\(\s*`([\w.-]*)\$\{/g)].map((m) => ({ file, key: m[1]!.replace(/\.$/, ''), group: true }))
    return [...literal, ...grouped].map((k) => ({ ...k, file: path.relative(root, k.file) }))
  })
}

describe('the UI text catalogues', () => {
  const zh = leaves(catalogues['zh-CN'])
  const en = leaves(catalogues.en)

  it('have the same keys in zh-CN and English', () => {
    expect([...zh.keys()].filter((k) => !en.has(k)), 'in zh-CN only').toEqual([])
    expect([...en.keys()].filter((k) => !zh.has(k)), 'in English only').toEqual([])
  })

  it('have a text for every message key main and shared send, using exactly its parameters', () => {
    for (const key of MESSAGE_KEYS) {
      for (const [lang, texts] of [['zh-CN', zh], ['en', en]] as const) {
        const text = texts.get(key)
        expect(text, `${lang} has no text for ${key}`).toBeTypeOf('string')
        const used = [...text!.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
        expect(used, `${lang} text for ${key}`).toEqual([...MESSAGE_PARAMS[key]].sort())
      }
    }
  })

  it('have every key the renderer code asks for', () => {
    const used = keysInCode()
    expect(used.length).toBeGreaterThan(100)
    const missing = used.flatMap(({ file, key, group }) =>
      (['zh-CN', 'en'] as const).flatMap((lang) => {
        const found = node(catalogues[lang], key)
        const okay = group ? typeof found === 'object' : typeof found === 'string'
        return okay ? [] : [`${lang}: ${key}${group ? '.*' : ''} (${file})`]
      })
    )
    expect(missing).toEqual([])
  })
})
