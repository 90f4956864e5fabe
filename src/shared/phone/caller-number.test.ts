import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { NormalisedNumberSchema, normaliseCallerNumber as norm } from './caller-number'

describe('caller number normaliser', () => {
  it.each([
    ['13800138000', 'mobile', '13800138000', '+8613800138000', '138 0013 8000'],
    ['+86 138-0013-8000', 'mobile', '13800138000', '+8613800138000', '138 0013 8000'],
    ['008613800138000', 'mobile', '13800138000', '+8613800138000', '138 0013 8000'],
    ['8613800138000', 'mobile', '13800138000', '+8613800138000', '138 0013 8000'],
    ['013800138000', 'mobile', '13800138000', '+8613800138000', '138 0013 8000'],
    ['sip:13800138000@10.0.0.1;user=phone', 'mobile', '13800138000', '+8613800138000', '138 0013 8000'],
    ['tel:+8613800138000', 'mobile', '13800138000', '+8613800138000', '138 0013 8000'],
    ['１３８００１３８０００', 'mobile', '13800138000', '+8613800138000', '138 0013 8000'],
    ['0775-2123456', 'landline', '07752123456', '+867752123456', '0775-2123456'],
    ['(0775) 2123 456', 'landline', '07752123456', '+867752123456', '0775-2123456'],
    ['+86 775 2123456', 'landline', '07752123456', '+867752123456', '0775-2123456'],
    ['2123456', 'landline', '07752123456', '+867752123456', '0775-2123456'],
    ['01062345678', 'landline', '01062345678', '+861062345678', '010-62345678'],
    ['02087654321', 'landline', '02087654321', '+862087654321', '020-87654321'],
    ['12345', 'service', '12345', null, '12345'],
    ['10086', 'service', '10086', null, '10086'],
    ['95588', 'service', '95588', null, '95588'],
    ['4008123123', 'service', '4008123123', null, '400-812-3123'],
    ['110', 'emergency', '110', null, '110'],
    ['120', 'emergency', '120', null, '120'],
    ['+1 415 555 0100', 'international', '0014155550100', '+14155550100', '+14155550100'],
    ['00442079460000', 'international', '00442079460000', '+442079460000', '+442079460000']
  ])('%s → %s %s', (input, kind, normalised, e164, display) => {
    const r = norm(input)
    expect(r).toMatchObject({ kind, normalised, e164, display, problem: null })
  })

  it('marks Yulin landlines as local, others not', () => {
    expect(norm('07752123456')).toMatchObject({ areaCode: '0775', local: true })
    expect(norm('07712123456')).toMatchObject({ areaCode: '0771', local: false })
    expect(norm('2123456', { homeAreaCode: '0771' })).toMatchObject({ normalised: '07712123456', local: true })
  })

  it.each(['', '   ', 'anonymous', 'Anonymous', 'unknown', 'sip:anonymous@anonymous.invalid', null, undefined])('%s → anonymous', (input) => {
    const r = norm(input)
    expect(r.kind).toBe('anonymous')
    expect(r.normalised).toBeNull()
    expect(r.problem?.zh).toBeTruthy()
  })

  it('letters, 200 digits, garbage → invalid with a clear reason, never a crash', () => {
    expect(norm('138abc00138')).toMatchObject({ kind: 'invalid', normalised: null, problem: { en: 'number contains characters other than digits' } })
    const long = norm('1'.repeat(200))
    expect(long.kind).toBe('invalid')
    expect(long.problem?.en).toMatch(/too long/)
    expect(long.raw.length).toBeLessThanOrEqual(65)
    expect(long.display.length).toBeLessThanOrEqual(25)
    expect(norm('<script>alert(1)</script>').kind).toBe('invalid')
    expect(norm('12').kind).toBe('invalid')
    expect(norm('0775123').kind).toBe('invalid')
    expect(norm('+').kind).toBe('invalid')
    expect(norm('%E4%BD%A0').kind).toBe('invalid')
    expect(norm('sip:%ZZ@x').kind).toBe('invalid')
    expect(norm('13800\u0000138000')).toMatchObject({ kind: 'mobile' })
    expect(norm(13800138000)).toMatchObject({ kind: 'mobile' })
  })

  it('property: any string gives a schema-valid result without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.stringMatching(/^\+?[0-9 -]{0,30}$/), fc.string({ unit: 'grapheme', maxLength: 50 })), (s) => {
        const r = norm(s)
        expect(NormalisedNumberSchema.safeParse(r).success).toBe(true)
        if (r.normalised !== null) expect(r.normalised).toMatch(/^\d+$/)
      }),
      { numRuns: 2000 }
    )
  })
})
