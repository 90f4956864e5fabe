/**
 * The smart-dispatch model (智能派单): text → category (and department) with calibrated confidence, an explanation,
 * and abstention below a threshold so the agent decides.
 *
 *   tokens  = segment + strip stop words (text.ts), the same for raw and pre-segmented input
 *   x       = TF-IDF over words, word bigrams and char 1–3-grams (features.ts)
 *   scores  = one-vs-rest linear SVM (linear.ts)
 *   p       = softmax(scores / T), T fitted on a held-out calibration fold (temperature scaling, Guo et al. 2017)
 *   explain = the features that pushed the winning class + the most similar past tickets (inverted index over
 *             their distinctive words) + for departments the duty clause (职责清单) that matches best.
 *
 * Departments: tickets that carry a department label plus every duty clause (as a short weighted pseudo-ticket)
 * train a second head, so a department with few or no past tickets can still be recommended from its duty list.
 */

import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions, FeatureSpace, type SparseVec } from './features'
import { DEFAULT_SVM, type LinearModel, type SvmOptions, scores, trainOvrSvm } from './linear'
import { stratifiedSplit } from './split'
import { STOP_WORDS } from './stopwords'
import { Segmenter, tokenize } from './text'

export interface TrainingTicket {
  id: string
  text: string
  label: string
  department?: string
  /** Sample weight (agent overrides count more); default 1. */
  weight?: number
}

export interface DutyEntry {
  departmentId: string
  name: string
  /** Duty clauses (职责条款), one responsibility each. */
  clauses: string[]
}

export interface TrainOptions {
  features: FeatureOptions
  svm: SvmOptions
  /** Features must occur in at least this many training tickets. */
  minDf: number
  /** Share of the training tickets held out to fit the temperature and the abstain threshold. */
  calibrationShare: number
  /** The abstain threshold is the lowest confidence at which the kept calibration cases reach this accuracy. */
  abstainTargetAccuracy: number
  /** Fixed abstain threshold (overrides the fitted one). */
  abstainThreshold?: number
  /** Weight of one duty clause as a department training example. */
  dutyClauseWeight: number
  /** Characters of ticket text kept as a snippet for "similar past tickets" (0 keeps none). */
  snippetChars: number
  /** Distinctive words kept per past ticket for similarity search. */
  exemplarTerms: number
  /** Prediction reads at most this many characters of a text (0: all); bounds latency on very long messages. */
  maxChars: number
  seed: number
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  features: DEFAULT_FEATURE_OPTIONS,
  svm: DEFAULT_SVM,
  minDf: 3,
  calibrationShare: 0.2,
  abstainTargetAccuracy: 0.95,
  dutyClauseWeight: 2,
  snippetChars: 60,
  exemplarTerms: 16,
  maxChars: 500,
  seed: 12345
}

/** One classification head (categories or departments). */
export interface Head {
  labels: string[]
  /** Display names (department names); same order as labels. */
  names: string[]
  linear: LinearModel
  temperature: number
  abstainThreshold: number
}

export interface Exemplar {
  id: string
  label: string
  department?: string
  snippet: string
  /** Feature indices and TF-IDF values of the ticket's most distinctive words. */
  terms: Int32Array
  values: Float32Array
}

export interface DutyClause {
  departmentId: string
  text: string
}

export interface DispatchModelData {
  createdAt: string
  options: TrainOptions
  vocabulary: Map<string, number>
  space: FeatureSpace
  category: Head
  department?: Head
  exemplars: Exemplar[]
  duty: DutyClause[]
  trainingSize: number
}

export interface Ranked {
  label: string
  /** Display name (for departments), equal to label for categories. */
  name: string
  confidence: number
}

export interface Explanation {
  /** Words and phrases that pushed the top recommendation, strongest first. */
  words: { text: string; weight: number }[]
  similarTickets: { id: string; label: string; department?: string; similarity: number; snippet: string }[]
  /** Best-matching duty clauses for the recommended departments. */
  dutyClauses: { departmentId: string; text: string; similarity: number }[]
}

export interface HeadPrediction {
  top3: Ranked[]
  /** Calibrated probability of top3[0]. */
  confidence: number
  /** True when the confidence is below the head's threshold: show the options, preselect nothing. */
  abstain: boolean
}

export interface Prediction extends HeadPrediction {
  department?: HeadPrediction
  explanation: Explanation
}

// ---------------------------------------------------------------------------------------------------------------
// Training

const SEGMENTED = /\p{Script=Han}\s+\p{Script=Han}/u
const HAN_WORD = /^\p{Script=Han}+$/u

/**
 * The segmentation vocabulary with counts. Pre-segmented tickets teach their own cuts; when no ticket is
 * segmented (a platform's raw history), the words come from the ECMAScript word segmenter instead.
 */
function vocabularyOf(tickets: readonly TrainingTicket[]): Map<string, number> {
  const freq = new Map<string, number>()
  const add = (w: string): void => {
    if (HAN_WORD.test(w) && !(STOP_WORDS.has(w) && w.length === 1)) freq.set(w, (freq.get(w) ?? 0) + 1)
  }
  const segmented = tickets.filter((t) => SEGMENTED.test(t.text))
  if (segmented.length > 0) {
    for (const t of segmented) for (const w of t.text.normalize('NFKC').toLowerCase().split(/\s+/)) add(w)
    return freq
  }
  const icu = new Intl.Segmenter('zh', { granularity: 'word' })
  for (const t of tickets) {
    for (const s of icu.segment(t.text.normalize('NFKC').toLowerCase())) if (s.isWordLike && !STOP_WORDS.has(s.segment)) add(s.segment)
  }
  return freq
}

function softmax(s: readonly number[], temperature: number): number[] {
  let max = -Infinity
  for (const v of s) if (v > max) max = v
  const e = s.map((v) => Math.exp((v - max) / temperature))
  const z = e.reduce((a, b) => a + b, 0)
  return e.map((v) => v / z)
}

/** Temperature minimising the negative log-likelihood of the held-out gold labels (golden-section on log T). */
export function fitTemperature(scoreRows: readonly number[][], gold: readonly number[]): number {
  const nll = (logT: number): number => {
    const t = Math.exp(logT)
    let s = 0
    scoreRows.forEach((row, i) => {
      const p = softmax(row, t)[gold[i]!]!
      s -= Math.log(Math.max(p, 1e-12))
    })
    return s
  }
  let a = Math.log(0.01)
  let b = Math.log(10)
  const g = (Math.sqrt(5) - 1) / 2
  let c = b - g * (b - a)
  let d = a + g * (b - a)
  let fc = nll(c)
  let fd = nll(d)
  for (let it = 0; it < 60; it++) {
    if (fc < fd) {
      b = d
      d = c
      fd = fc
      c = b - g * (b - a)
      fc = nll(c)
    } else {
      a = c
      c = d
      fc = fd
      d = a + g * (b - a)
      fd = nll(d)
    }
  }
  return Math.exp((a + b) / 2)
}

/** Lowest confidence threshold whose kept cases reach `target` accuracy (1 when none does). */
export function fitAbstainThreshold(conf: readonly number[], correct: readonly boolean[], target: number): number {
  const order = conf.map((_, i) => i).sort((x, y) => conf[y]! - conf[x]!)
  let ok = 0
  let best = 1
  order.forEach((i, k) => {
    if (correct[i]) ok++
    const next = order[k + 1]
    // Only cut between distinct confidences.
    if (next !== undefined && conf[next] === conf[i]) return
    if (ok / (k + 1) >= target) best = conf[i]!
  })
  return best
}

interface Prepared {
  vocabulary: Map<string, number>
  space: FeatureSpace
  vectors: SparseVec[]
}

function prepare(docs: readonly { text: string }[], vocabTickets: readonly TrainingTicket[], opts: TrainOptions): Prepared {
  const vocabulary = vocabularyOf(vocabTickets)
  const seg = new Segmenter(vocabulary)
  const { space, vectors } = FeatureSpace.fit(
    docs.map((d) => tokenize(d.text, seg)),
    opts.features,
    opts.minDf
  )
  return { vocabulary, space, vectors }
}

function labelIndex(labels: readonly string[]): Map<string, number> {
  return new Map(labels.map((l, i) => [l, i]))
}

function trainHead(
  xs: readonly SparseVec[],
  labelsOfRows: readonly string[],
  weights: readonly number[],
  dim: number,
  opts: TrainOptions,
  names?: ReadonlyMap<string, string>,
  /** Rows that may be held out for calibration (the others always train). */
  calibratable?: readonly boolean[]
): Head {
  const labels = [...new Set(labelsOfRows)].sort()
  const li = labelIndex(labels)
  const ys = labelsOfRows.map((l) => li.get(l)!)
  let temperature = 1
  let abstainThreshold = opts.abstainThreshold ?? 0.5
  if (opts.calibrationShare > 0 && labels.length > 1) {
    const rows = labelsOfRows
      .map((label, i) => ({ id: String(i), text: '', label }))
      .filter((_, i) => calibratable?.[i] ?? true)
    const { train, test } = stratifiedSplit(rows, opts.calibrationShare, opts.seed)
    const held = new Set(test.map((r) => Number(r.id)))
    if (held.size >= 20 && train.length > 0) {
      const trIdx = xs.map((_, i) => i).filter((i) => !held.has(i))
      const m = trainOvrSvm(
        trIdx.map((i) => xs[i]!),
        trIdx.map((i) => ys[i]!),
        labels.length,
        dim,
        opts.svm,
        trIdx.map((i) => weights[i]!)
      )
      const teIdx = [...held].sort((a, b) => a - b)
      const sc = teIdx.map((i) => scores(m, xs[i]!))
      const gold = teIdx.map((i) => ys[i]!)
      temperature = fitTemperature(sc, gold)
      const probs = sc.map((s) => softmax(s, temperature))
      const conf = probs.map((p) => Math.max(...p))
      const correct = probs.map((p, k) => p.indexOf(Math.max(...p)) === gold[k])
      if (opts.abstainThreshold === undefined) {
        abstainThreshold = fitAbstainThreshold(conf, correct, opts.abstainTargetAccuracy)
      }
    }
  }
  const linear = trainOvrSvm(xs, ys, labels.length, dim, opts.svm, weights)
  return { labels, names: labels.map((l) => names?.get(l) ?? l), linear, temperature, abstainThreshold }
}

function exemplarOf(t: TrainingTicket, x: SparseVec, space: FeatureSpace, opts: TrainOptions): Exemplar {
  const cand: [number, number][] = []
  for (let k = 0; k < x.idx.length; k++) {
    const name = space.names[x.idx[k]!]!
    if (name.startsWith('w:')) cand.push([x.idx[k]!, x.val[k]!])
  }
  cand.sort((a, b) => b[1] - a[1])
  const top = cand.slice(0, opts.exemplarTerms).sort((a, b) => a[0] - b[0])
  const e: Exemplar = {
    id: t.id,
    label: t.label,
    snippet: t.text.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '').slice(0, opts.snippetChars),
    terms: Int32Array.from(top.map((p) => p[0])),
    values: Float32Array.from(top.map((p) => p[1]))
  }
  if (t.department !== undefined) e.department = t.department
  return e
}

/**
 * Trains the model. `tickets` are historical tickets (raw or segmented text); `duty` is the duty list. The
 * department head exists when at least two departments are known from tickets or the duty list.
 */
export function trainDispatchModel(
  tickets: readonly TrainingTicket[],
  duty: readonly DutyEntry[] = [],
  options: Partial<TrainOptions> = {}
): DispatchModel {
  const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options }
  if (tickets.length === 0) throw new Error('cannot train a dispatch model on zero tickets')
  const clauses: DutyClause[] = duty.flatMap((d) => d.clauses.filter((c) => c.trim() !== '').map((text) => ({ departmentId: d.departmentId, text })))
  const docs = [...tickets.map((t) => ({ text: t.text })), ...clauses.map((c) => ({ text: c.text }))]
  const prep = prepare(docs, tickets, opts)
  const dim = prep.space.size
  const tx = prep.vectors.slice(0, tickets.length)
  const category = trainHead(
    tx,
    tickets.map((t) => t.label),
    tickets.map((t) => t.weight ?? 1),
    dim,
    opts
  )
  let department: Head | undefined
  const deptRows: number[] = []
  tickets.forEach((t, i) => {
    if (t.department) deptRows.push(i)
  })
  const deptNames = new Map(duty.map((d) => [d.departmentId, d.name]))
  const deptLabels = new Set([...deptRows.map((i) => tickets[i]!.department!), ...clauses.map((c) => c.departmentId)])
  if (deptLabels.size >= 2) {
    const xs = [...deptRows.map((i) => tx[i]!), ...prep.vectors.slice(tickets.length)]
    const ls = [...deptRows.map((i) => tickets[i]!.department!), ...clauses.map((c) => c.departmentId)]
    const ws = [...deptRows.map((i) => tickets[i]!.weight ?? 1), ...clauses.map(() => opts.dutyClauseWeight)]
    const calibratable = [...deptRows.map(() => true), ...clauses.map(() => false)]
    department = trainHead(xs, ls, ws, dim, opts, deptNames, calibratable)
  }
  const exemplars = tickets.map((t, i) => exemplarOf(t, tx[i]!, prep.space, opts))
  const data: DispatchModelData = {
    createdAt: new Date().toISOString(),
    options: opts,
    vocabulary: prep.vocabulary,
    space: prep.space,
    category,
    exemplars,
    duty: clauses,
    trainingSize: tickets.length
  }
  if (department) data.department = department
  return new DispatchModel(data)
}

// ---------------------------------------------------------------------------------------------------------------
// Prediction

function displayFeature(name: string): string {
  const body = name.slice(2)
  return name.startsWith('b:') ? body.replace('|', '') : body
}

export class DispatchModel {
  private readonly seg: Segmenter
  /** Inverted index feature → exemplars holding it (word features only). */
  private readonly postings = new Map<number, { ex: Int32Array; v: Float32Array }>()
  private simScratch: Float64Array | undefined
  private dutyVectors: SparseVec[] | undefined

  constructor(readonly data: DispatchModelData) {
    this.seg = new Segmenter(data.vocabulary)
    const lists = new Map<number, { ex: number[]; v: number[] }>()
    data.exemplars.forEach((e, ex) => {
      for (let k = 0; k < e.terms.length; k++) {
        const f = e.terms[k]!
        let p = lists.get(f)
        if (!p) lists.set(f, (p = { ex: [], v: [] }))
        p.ex.push(ex)
        p.v.push(e.values[k]!)
      }
    })
    for (const [f, p] of lists) this.postings.set(f, { ex: Int32Array.from(p.ex), v: Float32Array.from(p.v) })
  }

  get labels(): readonly string[] {
    return this.data.category.labels
  }

  /** Only the first `maxChars` characters are read (the title and the opening carry the request). */
  vectorize(text: string): SparseVec {
    const max = this.data.options.maxChars
    return this.data.space.vectorize(tokenize(max > 0 && text.length > max ? text.slice(0, max) : text, this.seg))
  }

  private headPredict(head: Head, x: SparseVec): { pred: HeadPrediction; scores: number[] } {
    const s = scores(head.linear, x)
    const p = softmax(s, head.temperature)
    const order = p.map((_, i) => i).sort((a, b) => p[b]! - p[a]!)
    const top3 = order.slice(0, 3).map((i) => ({ label: head.labels[i]!, name: head.names[i]!, confidence: p[i]! }))
    const confidence = top3[0]?.confidence ?? 0
    return { pred: { top3, confidence, abstain: confidence < head.abstainThreshold }, scores: s }
  }

  /** Category only, without the explanation: the cheap path for evaluation and per-keystroke updates. */
  rank(text: string): HeadPrediction {
    return this.headPredict(this.data.category, this.vectorize(text)).pred
  }

  predict(text: string, opts: { words?: number; similar?: number } = {}): Prediction {
    const x = this.vectorize(text)
    const cat = this.headPredict(this.data.category, x).pred
    const out: Prediction = { ...cat, explanation: { words: [], similarTickets: [], dutyClauses: [] } }
    if (this.data.department) out.department = this.headPredict(this.data.department, x).pred
    const top = cat.top3[0]
    if (top) out.explanation.words = this.topWords(x, this.data.category, top.label, opts.words ?? 6)
    out.explanation.similarTickets = this.similar(x, opts.similar ?? 3)
    if (out.department) out.explanation.dutyClauses = this.bestClauses(x, out.department.top3.map((r) => r.label))
    return out
  }

  private topWords(x: SparseVec, head: Head, label: string, n: number): { text: string; weight: number }[] {
    const w = head.linear.weights[head.labels.indexOf(label)]
    if (!w) return []
    const names = this.data.space.names
    const contrib: [number, number][] = []
    for (let k = 0; k < x.idx.length; k++) {
      const c = w[x.idx[k]!]! * x.val[k]!
      if (c > 0) contrib.push([x.idx[k]!, c])
    }
    contrib.sort((a, b) => b[1] - a[1])
    const out: { text: string; weight: number }[] = []
    for (const [f, c] of contrib) {
      const name = names[f]!
      // Single characters are weak evidence to show an agent; words, bigrams and 2–3-char n-grams explain better.
      if (name.startsWith('c:') && name.length < 4) continue
      const text = displayFeature(name)
      if (out.some((o) => o.text.includes(text) || text.includes(o.text))) continue
      out.push({ text, weight: Math.round(c * 1000) / 1000 })
      if (out.length >= n) break
    }
    return out
  }

  /** Past tickets sharing the most distinctive words (dot product over their kept terms). */
  similar(x: SparseVec, n: number): Explanation['similarTickets'] {
    const acc = (this.simScratch ??= new Float64Array(this.data.exemplars.length))
    const touched: number[] = []
    // The query's strongest indexed words are enough to find its neighbours and bound the work on long texts.
    const query: [number, number][] = []
    for (let k = 0; k < x.idx.length; k++) if (this.postings.has(x.idx[k]!)) query.push([x.idx[k]!, x.val[k]!])
    query.sort((a, b) => b[1] - a[1])
    for (const [f, xv] of query.slice(0, 24)) {
      const p = this.postings.get(f)!
      for (let j = 0; j < p.ex.length; j++) {
        const ex = p.ex[j]!
        if (acc[ex] === 0) touched.push(ex)
        acc[ex]! += xv * p.v[j]!
      }
    }
    const best: [number, number][] = []
    for (const ex of touched) {
      const s = acc[ex]!
      acc[ex] = 0
      if (best.length < n || s > best[best.length - 1]![1]) {
        best.push([ex, s])
        best.sort((a, b) => b[1] - a[1])
        if (best.length > n) best.pop()
      }
    }
    return best.map(([ex, s]) => {
      const e = this.data.exemplars[ex]!
      const r: Explanation['similarTickets'][number] = {
        id: e.id,
        label: e.label,
        similarity: Math.round(s * 1000) / 1000,
        snippet: e.snippet
      }
      if (e.department !== undefined) r.department = e.department
      return r
    })
  }

  private bestClauses(x: SparseVec, departments: readonly string[]): Explanation['dutyClauses'] {
    if (this.data.duty.length === 0) return []
    this.dutyVectors ??= this.data.duty.map((c) => this.vectorize(c.text))
    const dense = new Map<number, number>()
    for (let k = 0; k < x.idx.length; k++) dense.set(x.idx[k]!, x.val[k]!)
    const out: Explanation['dutyClauses'] = []
    for (const dep of departments) {
      let best = -1
      let bestSim = 0
      this.data.duty.forEach((c, i) => {
        if (c.departmentId !== dep) return
        const v = this.dutyVectors![i]!
        let s = 0
        for (let k = 0; k < v.idx.length; k++) s += (dense.get(v.idx[k]!) ?? 0) * v.val[k]!
        if (s > bestSim) {
          bestSim = s
          best = i
        }
      })
      if (best >= 0) out.push({ departmentId: dep, text: this.data.duty[best]!.text, similarity: Math.round(bestSim * 1000) / 1000 })
    }
    return out
  }
}
