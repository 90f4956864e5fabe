import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from './migrations'

describe('platform migrations', () => {
  it('are one sequence numbered 1, 2, 3… with no gap or repeat (a repeated number would be skipped by files already at it)', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })
})
