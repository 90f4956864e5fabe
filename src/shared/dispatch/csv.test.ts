import { describe, expect, it } from 'vitest'
import { parseLabelledCsv } from './csv'

describe('parseLabelledCsv', () => {
  it('reports bad rows by line instead of dropping them silently', () => {
    const text = 'id,text,label\n1,好文本,城乡建设\n2,缺少标签\n3,,教育文体\n4,"多行\n文本",环境保护\n5,空标签,\n'
    const { rows, errors } = parseLabelledCsv(text)
    expect(rows.map((r) => r.id)).toEqual(['1', '4'])
    expect(rows[1]!.text).toBe('多行\n文本')
    expect(errors.map((e) => e.line)).toEqual([3, 4, 7])
  })

  it('rejects a file without the expected header', () => {
    const { rows, errors } = parseLabelledCsv('foo,bar\n1,2\n')
    expect(rows).toEqual([])
    expect(errors[0]!.message).toMatch(/expected columns id,text,label/)
  })

  it('reads an optional department column', () => {
    const { rows } = parseLabelledCsv('id,text,label,department\n1,路灯坏了,城乡建设,city\n2,拖欠工资,劳动和社会保障,\n')
    expect(rows[0]!.department).toBe('city')
    expect(rows[1]!.department).toBeUndefined()
  })
})
