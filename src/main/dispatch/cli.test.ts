import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = resolve(__dirname, '../../..')
const fixtures = join(root, 'tests/fixtures/dispatch')
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(root, 'src/main/dispatch/cli.ts'), ...args], { cwd: root })

describe('dispatch CLI', () => {
  it('eval prints one JSON line with the agreed keys', async () => {
    const { stdout } = await cli('eval', '--train', join(fixtures, 'tickets.csv'), '--test', join(fixtures, 'tickets.csv'))
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const r = JSON.parse(lines[0]!) as Record<string, unknown>
    for (const k of ['n', 'top1', 'top3', 'macroF1', 'perClassF1', 'trainMs', 'p95LatencyMs', 'accuracyAt70Coverage']) {
      expect(r).toHaveProperty(k)
    }
    expect(r['n']).toBe(30)
    expect(r['top1']).toBeGreaterThan(0.8)
  })

  it('train writes a model that predict loads, with the duty list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatch-'))
    const model = join(dir, 'model.json')
    const { stdout } = await cli('train', '--train', join(fixtures, 'tickets.csv'), '--duty', join(fixtures, 'duty.csv'), '--out', model)
    expect(JSON.parse(stdout)).toMatchObject({ out: model, tickets: 30, departments: 7 })
    const p = await cli('predict', '--model', model, '--text', '超市销售假冒伪劣商品，请市场监管部门查处')
    const pred = JSON.parse(p.stdout) as { top3: unknown[]; department: { top3: { label: string }[] } }
    expect(pred.top3).toHaveLength(3)
    expect(pred.department.top3.map((d) => d.label)).toContain('market')
  })

  it('reports a bad model file and bad rows clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatch-'))
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"format":"yulin12345.dispatch-model","version":1}')
    await expect(cli('predict', '--model', bad, '--text', 'x')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/invalid dispatch model file/)
    })
    const csv = join(dir, 'rows.csv')
    writeFileSync(csv, 'id,text,label\n1,路灯坏了,城乡建设\n2,少了一列\n3,"拖欠工资",劳动和社会保障\n')
    const out = join(dir, 'split')
    const { stdout, stderr } = await cli('split', '--data', csv, '--out', out, '--test-share', '0.5')
    expect(stderr).toContain('rows.csv:3: expected 3 fields, found 2')
    expect(JSON.parse(stdout)).toMatchObject({ rows: 2, kept: 2 })
    expect(readFileSync(join(out, 'train.csv'), 'utf8')).toMatch(/^id,text,label\n/)
    await expect(cli('frobnicate')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command') })
  })
})
