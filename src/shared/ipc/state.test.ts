import { describe, expect, it } from 'vitest'
import { applyChange, type AppState } from './state'

const base = () => ({ revision: 3, state: { notices: [] } as unknown as AppState })

describe('applyChange (the mirror rule)', () => {
  it('applies exactly the next revision', () => {
    const m = base()
    expect(applyChange(m, { revision: 4, topic: 'notices', value: [{ id: 'a', level: 'info', message: { key: 'notice.micRestored' }, at: 1 }] })).toBe('applied')
    expect(m.revision).toBe(4)
    expect(m.state.notices).toHaveLength(1)
  })

  it('asks for a resync on a gap and leaves the mirror alone', () => {
    const m = base()
    expect(applyChange(m, { revision: 6, topic: 'notices', value: [] })).toBe('resync')
    expect(m.revision).toBe(3)
  })

  it('ignores replays of revisions already applied', () => {
    const m = base()
    expect(applyChange(m, { revision: 3, topic: 'notices', value: [] })).toBe('stale')
    expect(applyChange(m, { revision: 1, topic: 'notices', value: [] })).toBe('stale')
  })
})
