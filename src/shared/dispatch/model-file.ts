/**
 * The model file the desktop loads: versioned JSON, validated with zod. Float arrays are stored as base64 of
 * little-endian float32 so the file stays compact and loads fast. `loadDispatchModel` throws a
 * `DispatchModelFileError` with a readable message for anything that is not a model of this version.
 */

import { z } from 'zod'
import { FeatureSpace } from './features'
import { DEFAULT_TRAIN_OPTIONS, DispatchModel, type DispatchModelData, type Head } from './model'

export const MODEL_FORMAT = 'yulin12345.dispatch-model'
export const MODEL_VERSION = 1

export class DispatchModelFileError extends Error {
  override readonly name = 'DispatchModelFileError'
}

// --- base64 of float32 (pure: no Buffer, no atob in the shared layer) -------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64_INDEX = new Int16Array(128).fill(-1)
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = []
  let chunk = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    chunk += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!
    chunk += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!
    chunk += c === undefined ? '=' : B64[c & 63]!
    if (chunk.length >= 8192) {
      parts.push(chunk)
      chunk = ''
    }
  }
  parts.push(chunk)
  return parts.join('')
}

export function base64ToBytes(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '')
  if (clean.length % 4 === 1) throw new DispatchModelFileError('corrupt base64 data')
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4))
  let o = 0
  for (let i = 0; i < clean.length; i += 4) {
    const v = [0, 1, 2, 3].map((k) => (i + k < clean.length ? B64_INDEX[clean.charCodeAt(i + k)] ?? -1 : 0))
    if (v.some((x) => x < 0)) throw new DispatchModelFileError('corrupt base64 data')
    const [a, b, c, d] = v as [number, number, number, number]
    out[o++] = (a << 2) | (b >> 4)
    if (o < out.length) out[o++] = ((b & 15) << 4) | (c >> 2)
    if (o < out.length) out[o++] = ((c & 3) << 6) | d
  }
  return out
}

export function encodeF32(a: Float32Array): string {
  const le = new Uint8Array(a.length * 4)
  const view = new DataView(le.buffer)
  a.forEach((x, i) => view.setFloat32(i * 4, x, true))
  return bytesToBase64(le)
}

export function decodeF32(s: string, expectedLength: number, what: string): Float32Array {
  const bytes = base64ToBytes(s)
  if (bytes.length !== expectedLength * 4) {
    throw new DispatchModelFileError(`${what}: expected ${expectedLength} numbers, found ${bytes.length / 4}`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Float32Array(expectedLength)
  for (let i = 0; i < expectedLength; i++) out[i] = view.getFloat32(i * 4, true)
  return out
}

// --- schema ------------------------------------------------------------------------------------------------------

const headSchema = z.object({
  labels: z.array(z.string().min(1)).min(1),
  names: z.array(z.string()),
  temperature: z.number().positive(),
  abstainThreshold: z.number().min(0).max(1),
  /** One base64 float32 array of dim + 1 per label. */
  weights: z.array(z.string())
})

const optionsSchema = z.object({
  features: z.object({
    charNgrams: z.array(z.number().int().min(1).max(3)),
    wordBigrams: z.boolean(),
    wordWeight: z.number()
  }),
  svm: z.object({ C: z.number(), epochs: z.number(), tol: z.number(), seed: z.number() }),
  minDf: z.number(),
  calibrationShare: z.number(),
  abstainTargetAccuracy: z.number(),
  abstainThreshold: z.number().optional(),
  dutyClauseWeight: z.number(),
  snippetChars: z.number(),
  exemplarTerms: z.number(),
  maxChars: z.number().int().nonnegative().default(0),
  seed: z.number()
})

export const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  createdAt: z.string(),
  trainingSize: z.number().int().nonnegative(),
  options: optionsSchema,
  vocabulary: z.object({ words: z.array(z.string()), counts: z.array(z.number().int().positive()) }),
  features: z.object({ names: z.array(z.string()), idf: z.string() }),
  category: headSchema,
  department: headSchema.optional(),
  exemplars: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      department: z.string().optional(),
      snippet: z.string(),
      terms: z.array(z.number().int().nonnegative()),
      values: z.array(z.number())
    })
  ),
  duty: z.array(z.object({ departmentId: z.string(), text: z.string() }))
})

export type DispatchModelFile = z.infer<typeof modelFileSchema>

// --- save / load -------------------------------------------------------------------------------------------------

function headToFile(h: Head): z.infer<typeof headSchema> {
  return {
    labels: h.labels,
    names: h.names,
    temperature: h.temperature,
    abstainThreshold: h.abstainThreshold,
    weights: h.linear.weights.map(encodeF32)
  }
}

function headFromFile(h: z.infer<typeof headSchema>, dim: number, what: string): Head {
  if (h.names.length !== h.labels.length || h.weights.length !== h.labels.length) {
    throw new DispatchModelFileError(`${what}: labels, names and weights differ in length`)
  }
  return {
    labels: h.labels,
    names: h.names,
    temperature: h.temperature,
    abstainThreshold: h.abstainThreshold,
    linear: { dim, weights: h.weights.map((w, k) => decodeF32(w, dim + 1, `${what} weights of ${h.labels[k]}`)) }
  }
}

export function serialiseDispatchModel(model: DispatchModel): string {
  const d = model.data
  const file: DispatchModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdAt: d.createdAt,
    trainingSize: d.trainingSize,
    options: d.options,
    vocabulary: { words: [...d.vocabulary.keys()], counts: [...d.vocabulary.values()] },
    features: { names: [...d.space.names], idf: encodeF32(d.space.idf) },
    category: headToFile(d.category),
    exemplars: d.exemplars.map((e) => ({
      id: e.id,
      label: e.label,
      ...(e.department !== undefined ? { department: e.department } : {}),
      snippet: e.snippet,
      terms: Array.from(e.terms),
      values: Array.from(e.values, (v) => Math.round(v * 1e4) / 1e4)
    })),
    duty: d.duty
  }
  if (d.department) file.department = headToFile(d.department)
  return JSON.stringify(file)
}

/** Parses and validates a model file's text. Throws DispatchModelFileError with a readable reason. */
export function loadDispatchModel(text: string): DispatchModel {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new DispatchModelFileError(`not a dispatch model: the file is not JSON (${(e as Error).message})`)
  }
  if (typeof json === 'object' && json !== null) {
    const o = json as Record<string, unknown>
    if (o['format'] !== MODEL_FORMAT) {
      throw new DispatchModelFileError(`not a dispatch model: format is ${JSON.stringify(o['format'])}, expected "${MODEL_FORMAT}"`)
    }
    if (o['version'] !== MODEL_VERSION) {
      throw new DispatchModelFileError(
        `dispatch model version ${JSON.stringify(o['version'])} is not supported (this build reads version ${MODEL_VERSION}); retrain the model`
      )
    }
  }
  const parsed = modelFileSchema.safeParse(json)
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new DispatchModelFileError(`invalid dispatch model file: ${first.join('; ')}`)
  }
  const f = parsed.data
  if (f.vocabulary.words.length !== f.vocabulary.counts.length) {
    throw new DispatchModelFileError('invalid dispatch model file: vocabulary words and counts differ in length')
  }
  const dim = f.features.names.length
  let space: FeatureSpace
  try {
    space = new FeatureSpace(f.features.names, decodeF32(f.features.idf, dim, 'idf'), f.options.features)
  } catch (e) {
    if (e instanceof DispatchModelFileError) throw e
    throw new DispatchModelFileError(`invalid dispatch model file: ${(e as Error).message}`)
  }
  const exemplars = f.exemplars.map((e, i) => {
    if (e.terms.length !== e.values.length || e.terms.some((t) => t >= dim)) {
      throw new DispatchModelFileError(`invalid dispatch model file: exemplar ${i} has bad terms`)
    }
    return {
      id: e.id,
      label: e.label,
      ...(e.department !== undefined ? { department: e.department } : {}),
      snippet: e.snippet,
      terms: Int32Array.from(e.terms),
      values: Float32Array.from(e.values)
    }
  })
  const data: DispatchModelData = {
    createdAt: f.createdAt,
    options: { ...DEFAULT_TRAIN_OPTIONS, ...f.options },
    vocabulary: new Map(f.vocabulary.words.map((w, i) => [w, f.vocabulary.counts[i]!])),
    space,
    category: headFromFile(f.category, dim, 'category'),
    exemplars,
    duty: f.duty,
    trainingSize: f.trainingSize
  }
  if (f.department) data.department = headFromFile(f.department, dim, 'department')
  return new DispatchModel(data)
}
