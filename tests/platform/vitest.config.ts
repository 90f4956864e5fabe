import { defineConfig } from 'vitest/config'

// Process-level platform tests (real CLI processes, kill -9). Run: npx vitest run --config tests/platform/vitest.config.ts
export default defineConfig({
  test: { include: ['tests/platform/**/*.test.ts'], root: new URL('../..', import.meta.url).pathname, environment: 'node', testTimeout: 60_000, hookTimeout: 60_000, pool: 'forks' }
})
