// npm run bench:workbench — the agent workbench's figures, ending with ONE JSON line.
// Each part in tests/bench/workbench/*.ts exports `default async function (): Promise<Record<string, number | string>>`;
// this runner runs them one after another (they measure latency: never in parallel) and merges their fields.
// Add a part by adding a file. `--only name[,name]` runs some parts.
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { only: { type: 'string' } }, strict: false })
const dir = path.join(__dirname, 'workbench')
const only = typeof values.only === 'string' ? new Set(values.only.split(',')) : null
const parts = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('_'))
  .sort()
  .filter((f) => !only || only.has(path.basename(f, '.ts')))

async function main(): Promise<void> {
  const merged: Record<string, unknown> = {}
  for (const file of parts) {
    const mod = (await import(path.join(dir, file))) as { default?: unknown }
    // A file without a default function is a helper module of another part, not a part.
    if (typeof mod.default !== 'function') continue
    const run = mod.default as () => Promise<Record<string, unknown>>
    const started = Date.now()
    console.error(`bench:workbench: ${file}…`)
    Object.assign(merged, await run())
    console.error(`bench:workbench: ${file} done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  console.log(JSON.stringify(merged))
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
