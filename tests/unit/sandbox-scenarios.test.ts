import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ScenarioFileSchema } from '../../src/shared/sandbox/scenario'

const root = path.resolve(__dirname, '../..')
const dir = path.join(root, 'resources/sandbox')

describe('sandbox scenarios (resources/sandbox)', () => {
  const file = ScenarioFileSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'scenarios.json'), 'utf8')))

  it('every line has its audio file, non-trivial in size', () => {
    for (const s of file.scenarios)
      for (const l of s.lines) {
        const p = path.join(dir, 'audio', l.file)
        expect(fs.existsSync(p), p).toBe(true)
        expect(fs.statSync(p).size).toBeGreaterThan(4000)
      }
  })

  it('covers the levels a trainer runs new agents through', () => {
    expect(new Set(file.scenarios.map((s) => s.level))).toEqual(new Set(['basic', 'intermediate', 'advanced']))
  })

  it('refuses a file with a duplicate id or a path-like audio name, naming the place', () => {
    const bad = structuredClone(file) as { scenarios: { id: string; lines: { file: string }[] }[] }
    bad.scenarios[1]!.id = bad.scenarios[0]!.id
    bad.scenarios[0]!.lines[0]!.file = '../../etc/passwd'
    const r = ScenarioFileSchema.safeParse(bad)
    expect(r.success).toBe(false)
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')
    expect(messages).toMatch(/scenarios\.0\.lines\.0\.file: 音频文件名/)
  })
})
