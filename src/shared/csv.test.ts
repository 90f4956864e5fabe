import { describe, expect, it } from 'vitest'
import { csvColumns, csvField, parseCsv } from './csv'

describe('parseCsv', () => {
  it.each([
    ['plain fields', 'a,b,c\n1,2,3\n', [['a', 'b', 'c'], ['1', '2', '3']]],
    ['no final newline', 'a,b\n1,2', [['a', 'b'], ['1', '2']]],
    ['a comma inside quotes', 'id,text\n1,"路灯坏了，在人民路, 北段"\n', [['id', 'text'], ['1', '路灯坏了，在人民路, 北段']]],
    ['doubled quotes inside quotes', '"say ""hi""",x\n', [['say "hi"', 'x']]],
    ['a quoted empty field', '"",x\n', [['', 'x']]],
    ['an LF inside quotes', '1,"多行\n文本",y\n', [['1', '多行\n文本', 'y']]],
    ['a CRLF inside quotes', '1,"多行\r\n文本",y\r\n', [['1', '多行\r\n文本', 'y']]],
    ['a leading BOM', '\uFEFFid,text\n1,x\n', [['id', 'text'], ['1', 'x']]],
    ['CRLF records', 'a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
    ['lone CR records', 'a,b\r1,2\r', [['a', 'b'], ['1', '2']]],
    ['blank lines skipped', '\na,b\n\n\r\n1,2\n\n', [['a', 'b'], ['1', '2']]],
    ['empty fields kept', 'a,,b,\n', [['a', '', 'b', '']]],
    ['a stray quote inside an unquoted field kept', 'ab"c,d\n', [['ab"c', 'd']]],
    ['text after a closing quote kept', '"ab"cd,e\n', [['abcd', 'e']]]
  ])('%s', (_name, text, fields) => {
    const { records, errors } = parseCsv(text)
    expect(errors).toEqual([])
    expect(records.map((r) => r.fields)).toEqual(fields)
  })

  it('gives each record the line it starts on, counting lines inside quotes', () => {
    const { records } = parseCsv('\uFEFFid,text,label\r\n1,"a, ""b""\nc",x\r\n\r\n2,plain,y\r3,"\r\n",z\n')
    expect(records.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'id'],
      [2, '1'],
      [5, '2'],
      [6, '3']
    ])
  })

  it('reports an unterminated quote with the line it starts on and keeps the records before it', () => {
    const { records, errors } = parseCsv('id,text\n1,ok\n2,"never closed\nmore')
    expect(records.map((r) => r.fields[0])).toEqual(['id', '1'])
    expect(errors).toEqual([{ line: 3, message: expect.stringContaining('unterminated') }])
  })

  it('reads nothing from an empty file or a BOM alone', () => {
    expect(parseCsv('')).toEqual({ records: [], errors: [] })
    expect(parseCsv('\uFEFF')).toEqual({ records: [], errors: [] })
  })
})

describe('csvColumns', () => {
  it('finds columns by trimmed name in any case, -1 for a missing one', () => {
    const col = csvColumns(parseCsv(' ID ,Text,reply\n').records[0])
    expect([col('id'), col('text'), col('Reply'), col('label')]).toEqual([0, 1, 2, -1])
    expect(csvColumns(undefined)('id')).toBe(-1)
  })
})

describe('csvField', () => {
  it('round-trips commas, quotes and newlines through the reader', () => {
    const fields = ['a,b', 'say "hi"', 'line\nbreak', 'cr\r\nlf', '普通文本', '']
    const { records } = parseCsv(fields.map(csvField).join(',') + '\r\n')
    expect(records[0]!.fields).toEqual(fields)
  })

  it('leaves a field that needs no quotes as it is', () => {
    expect(csvField('城乡建设')).toBe('城乡建设')
  })
})
