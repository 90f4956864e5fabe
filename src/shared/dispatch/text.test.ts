import { describe, expect, it } from 'vitest'
import { Segmenter, alnumShape, runs, tokenize } from './text'
import { joinSegmented, noisyRaw } from './split'

const vocab = new Map<string, number>([
  ['小区', 50],
  ['物业', 40],
  ['停车费', 10],
  ['停车', 12],
  ['收', 8],
  ['乱收', 3],
  ['业主', 30],
  ['意见', 9],
  ['家', 5]
])
const seg = new Segmenter(vocab)

describe('Segmenter', () => {
  it('prefers known words over single characters', () => {
    expect(seg.segment('小区物业乱收停车费')).toEqual(['小区', '物业', '乱收', '停车费'])
  })

  it('cuts stop words as units even though they are not vocabulary', () => {
    expect(seg.segment('我们小区')).toEqual(['我们', '小区'])
  })
})

describe('tokenize', () => {
  it('gives raw text the same tokens as its segmented, stop-word-stripped form', () => {
    const raw = '我家的小区物业乱收停车费，业主们意见很大！'
    const segmented = '家 小区 物业 乱收 停车费 业主 意见'
    const t = (s: string): string[] => tokenize(s, seg).map((x) => x.text)
    expect(t(raw)).toEqual(t(segmented))
  })

  it('keeps unknown runs of two or more characters and drops lone unknown characters', () => {
    expect(tokenize('小区泱玺花园物业', seg).map((x) => x.text)).toEqual(['小区', '泱玺花园', '物业'])
    expect(tokenize('小区该物业', seg).map((x) => x.text)).toEqual(['小区', '物业'])
  })

  it('normalises full-width characters and shapes numbers', () => {
    expect(runs('Ａ３区 电话13812345678').map((r) => r.text)).toEqual(['a3', '区', '电话', '13812345678'])
    expect(alnumShape('13812345678')).toBe('#longnum')
    expect(alnumShape('2015')).toBe('#num4')
    expect(alnumShape('a3')).toBe('a3')
  })
})

describe('raw simulations', () => {
  it('joinSegmented removes spaces between Han tokens but keeps latin/digit tokens apart', () => {
    expect(joinSegmented('小区 物业 a3 2015 年')).toBe('小区物业a3 2015年')
  })

  it('noisyRaw is deterministic and only adds fillers and punctuation', () => {
    const a = noisyRaw('小区 物业 乱收 停车费', 3)
    expect(a).toBe(noisyRaw('小区 物业 乱收 停车费', 3))
    expect(a.replace(/[的了是我在和也都就这个我们因为但是所以还被把有，。！？、；：]/g, '')).toBe('小区物业乱收停车费')
  })
})
