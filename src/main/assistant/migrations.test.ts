import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database'
import { assistantOperations } from './db-operations'
import { assistantMigrations } from './migrations'

describe('assistant migrations (real file)', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
  })

  it('carry the assistant’s ids and keep choices and inspections across a reopen', () => {
    expect(assistantMigrations.every((m) => m.id.startsWith('assistant/'))).toBe(true)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-mig-'))
    dirs.push(dir)
    const file = path.join(dir, 'desk.sqlite')
    const first = openDatabase(file).db
    const put = { ticketId: 'T-1', at: 1, agentId: 'agent01', suggestedCategory: 'a', chosenCategory: 'b', isOverride: true, sealed: 'x' }
    assistantOperations['assistant.feedback.put'](first, put)
    // A re-filed ticket replaces its record.
    assistantOperations['assistant.feedback.put'](first, { ...put, at: 2, chosenCategory: 'a', isOverride: false, sealed: 'y' })
    assistantOperations['assistant.inspection.add'](first, { ticketId: 'T-1', callId: null, agentId: 'agent01', at: 5, service: 90, accuracy: 70, servicePassed: true, accuracyPassed: false, findings: [{ rule: 'x' }] })
    first.close()
    const again = openDatabase(file).db
    expect(assistantOperations['assistant.feedback.counts'](again, {})).toEqual({ total: 1, overrides: 0 })
    expect(assistantOperations['assistant.feedback.sealed'](again, { since: 0 })).toEqual(['y'])
    const list = assistantOperations['assistant.inspection.list'](again, { agentId: 'agent01', limit: 5 })
    expect(list).toMatchObject([{ ticketId: 'T-1', service: 90, accuracyPassed: false, findings: [{ rule: 'x' }] }])
    expect(assistantOperations['assistant.inspection.list'](again, { agentId: 'agent02', limit: 5 })).toEqual([])
    again.close()
  })
})
