import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ScenarioFileSchema } from '../../src/shared/sandbox/scenario'
import { CATEGORY_TREE } from '../../src/platform/seed/categories'
import { DEPARTMENTS } from '../../src/platform/seed/departments'

const root = path.resolve(__dirname, '../..')
const dir = path.join(root, 'resources/sandbox')

describe('sandbox scenarios (resources/sandbox)', () => {
  const file = ScenarioFileSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'scenarios.json'), 'utf8')))

  it('every line has its audio file, non-trivial in size, the callback callee included', () => {
    expect(file.callee?.lines.length).toBeGreaterThan(0)
    for (const s of [...file.scenarios, file.callee!])
      for (const l of s.lines) {
        const p = path.join(dir, 'audio', l.file)
        expect(fs.existsSync(p), p).toBe(true)
        expect(fs.statSync(p).size).toBeGreaterThan(4000)
      }
  })

  it("expects categories and departments that exist in the sandbox platform, so a trainee can score full marks", () => {
    for (const s of file.scenarios) {
      const [l1, l2, l3] = s.expected.category
      const leaf = CATEGORY_TREE.find(([n]) => n === l1)?.[1].find(([n]) => n === l2)?.[1].find((x) => x.name === l3)
      expect(leaf, `${s.id}: ${s.expected.category.join(' > ')}`).toBeDefined()
      expect(leaf!.department, `${s.id}: usual department of ${l3}`).toBe(s.expected.department)
      expect(DEPARTMENTS.some((d) => d.id === s.expected.department)).toBe(true)
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
