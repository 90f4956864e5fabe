import { describe, expect, it } from 'vitest'
import { dcgAtK, ndcgAtK, percentile, queryTerms, tokenize } from '.'

describe('tokenize (Chinese-aware)', () => {
  it('emits character bigrams and 3+-character dictionary words for Han runs', () => {
    const { terms } = tokenize('小区停水三天了')
    expect(terms).toEqual(expect.arrayContaining(['小区', '区停', '停水', '水三', '三天', '天了']))
    expect(tokenize('中华人民共和国').terms).toContain('共和国')
  })

  it('keeps every Han character for one-character queries, and latin/digit words whole (full-width normalised)', () => {
    const t = tokenize('水费ＡＢＣ 12345热线')
    expect(t.chars).toEqual(['水', '费', '热', '线'])
    expect(t.terms).toEqual(expect.arrayContaining(['水费', 'abc', '12345', '热线']))
  })

  it('drops punctuation, emoji and spaces; never produces an FTS5 operator character', () => {
    const { terms } = tokenize('停水！！😀 "OR" (NEAR) 电*')
    for (const t of terms) expect(t).toMatch(/^[\p{L}\p{N}]+$/u)
  })

  it('keeps rare characters (𠀀, 㐀, 𪚥) as whole code points', () => {
    expect(tokenize('𠀀㐀𪚥').chars).toEqual(['𠀀', '㐀', '𪚥'])
    expect(tokenize('𠀀㐀').terms).toEqual(['𠀀㐀'])
  })
})

describe('queryTerms', () => {
  it('a single character becomes a character query', () => {
    expect(queryTerms('水')).toEqual({ terms: [], chars: ['水'], prefix: null })
  })

  it('a short run (a word being typed) keeps all its bigrams', () => {
    expect(queryTerms('公积金').terms).toEqual(expect.arrayContaining(['公积', '积金']))
  })

  it('a long run keeps bigrams inside words, not across word boundaries', () => {
    const { terms } = queryTerms('小区水电改造造成物业公司的高昂水电费收取不了')
    expect(terms).toContain('物业')
    expect(terms).toContain('水电')
    expect(terms).not.toContain('成物')
  })

  it('the last latin/digit word is a prefix while it is being typed', () => {
    expect(queryTerms('停水 A2').prefix).toBe('a2')
    expect(queryTerms('A2 停水').prefix).toBeNull()
  })
})

describe('NDCG@k', () => {
  it('is 1 for the ideal order and less for a worse one', () => {
    const rel = new Map([
      [1, 2],
      [2, 1]
    ])
    expect(ndcgAtK([1, 2, 3], rel, 10)).toBeCloseTo(1)
    expect(ndcgAtK([2, 1, 3], rel, 10)).toBeLessThan(1)
    expect(ndcgAtK([3, 4], rel, 10)).toBe(0)
  })

  it('matches the textbook value: gains 2^rel−1, log2 discount', () => {
    // ranked rel: [1, 2] → DCG = 1/log2(2) + 3/log2(3); ideal [2, 1] → 3 + 1/log2(3)
    const rel = new Map([
      ['a', 1],
      ['b', 2]
    ])
    expect(ndcgAtK(['a', 'b'], rel, 10)).toBeCloseTo((1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)), 10)
    expect(dcgAtK([2, 1], 1)).toBe(3)
  })

  it('only counts the top k', () => {
    expect(ndcgAtK([9, 9, 1], new Map([[1, 1]]), 2)).toBe(0)
  })

  it('percentile by nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 95)).toBe(5)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2)
  })
})
