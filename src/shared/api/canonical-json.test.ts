import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json'

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    const a = { b: 1, a: { d: [3, { y: 1, x: 2 }], c: 'x' } }
    const b = { a: { c: 'x', d: [3, { x: 2, y: 1 }] }, b: 1 }
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"x":2,"y":1}]},"b":1}')
    expect(canonicalJson(b)).toBe(canonicalJson(a))
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]))
  })

  it('serialises scalars, null and undefined members as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: null, c: '引号"\n' })).toBe(JSON.stringify({ b: null, c: '引号"\n' }))
    expect(canonicalJson([undefined, 1])).toBe('[null,1]')
    expect(canonicalJson(undefined)).toBe('null')
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2}')
  })
})
