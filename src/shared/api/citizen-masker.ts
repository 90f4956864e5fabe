import type { z } from 'zod'
import { CITIZEN_RECORDS, citizenVisibility, seesConfidentialRecord, showCitizenValue, type CitizenKind, type CitizenRecord, type CitizenViewer } from './masking'

/** Masks one answer for one viewer; returns a copy, the answer itself is never changed. */
export type CitizenMasker = (answer: unknown, viewer: CitizenViewer) => unknown

interface ResolvedField {
  path: string[]
  kind: CitizenKind
  nullable: boolean
}

/** A field schema → the table row and field it is, so a schema derived by omit/pick/extend keeps its citizen fields. */
const ROW_OF_FIELD = new Map<z.ZodType, CitizenRecord>()
const RESOLVED = new Map<CitizenRecord, ResolvedField[]>()
for (const row of CITIZEN_RECORDS) {
  const resolved: ResolvedField[] = []
  for (const [dotted, kind] of Object.entries(row.fields)) {
    const path = dotted.split('.')
    let schema: z.ZodType = row.schema
    for (const key of path) {
      const next = (schema as z.ZodObject).shape?.[key] as z.ZodType | undefined
      if (!next) throw new Error(`citizen data table: ${dotted} is not a field of its schema`)
      schema = next
    }
    resolved.push({ path, kind, nullable: schema.safeParse(null).success })
    ROW_OF_FIELD.set(row.schema.shape[path[0]!] as z.ZodType, row)
  }
  RESOLVED.set(row, resolved)
}

function getPath(record: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = record
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined
  return v
}

/** Sets a dotted path, copying each object on the way so the answer passed in is never changed. */
function setPath(record: Record<string, unknown>, path: string[], value: unknown): void {
  let target = record
  for (const key of path.slice(0, -1)) {
    const child = target[key]
    if (!child || typeof child !== 'object') return
    target = target[key] = { ...(child as Record<string, unknown>) }
  }
  target[path[path.length - 1]!] = value
}

/** The table's fields present in an object schema: those whose top-level field schema is the table's own. */
function rowFieldsIn(shape: Record<string, z.ZodType>): { row: CitizenRecord; fields: ResolvedField[] }[] {
  const rows = new Set<CitizenRecord>()
  for (const field of Object.values(shape)) {
    const row = ROW_OF_FIELD.get(field)
    if (row) rows.add(row)
  }
  return [...rows].map((row) => ({ row, fields: RESOLVED.get(row)!.filter((f) => shape[f.path[0]!] === row.schema.shape[f.path[0]!]) }))
}

function maskRecord(record: Record<string, unknown>, row: CitizenRecord, fields: ResolvedField[], viewer: CitizenViewer): void {
  const source = row.confidentiality
  const linked = source && 'ticketIdField' in source ? record[source.ticketIdField] : null
  const rule = !source ? null : 'own' in source ? source.own(record) : typeof linked === 'number' ? (viewer.ticketConfidentiality?.(linked) ?? null) : null
  const inFull = !rule?.confidential || seesConfidentialRecord(viewer, rule.createdBy)
  let withheld = false
  for (const f of fields) {
    const visibility = citizenVisibility(viewer.roles, f.kind, inFull)
    if (visibility === 'full') continue
    withheld = true
    const value = getPath(record, f.path)
    if (typeof value === 'string') setPath(record, f.path, showCitizenValue(value, f.kind, visibility, f.nullable))
  }
  if (row.maskedFlag && getPath(record, row.maskedFlag.split('.')) !== undefined) setPath(record, row.maskedFlag.split('.'), withheld)
}

/**
 * Compiles the masking of answers of one response schema, or null when nothing in it is citizen data (most
 * operations: they pay nothing). Walks objects, arrays and the wrappers zod puts around them (nullable,
 * optional, default, readonly, pipe, union); any other schema holds no object and so no citizen field.
 */
export function citizenMasker(schema: z.ZodType): CitizenMasker | null {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>
      const rows = rowFieldsIn(shape)
      const children = Object.entries(shape)
        .map(([key, s]) => [key, citizenMasker(s)] as const)
        .filter((c): c is readonly [string, CitizenMasker] => c[1] !== null)
      if (rows.length === 0 && children.length === 0) return null
      return (answer, viewer) => {
        if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return answer
        const record: Record<string, unknown> = { ...(answer as Record<string, unknown>) }
        for (const [key, mask] of children) if (key in record) record[key] = mask(record[key], viewer)
        for (const { row, fields } of rows) maskRecord(record, row, fields, viewer)
        return record
      }
    }
    case 'array': {
      const mask = citizenMasker(def.element as z.ZodType)
      return mask && ((answer, viewer) => (Array.isArray(answer) ? answer.map((item) => mask(item, viewer)) : answer))
    }
    case 'nullable':
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return citizenMasker(def.innerType as z.ZodType)
    case 'pipe':
      return citizenMasker(def.out as z.ZodType)
    case 'union': {
      const masks = (def.options as z.ZodType[]).map(citizenMasker).filter((m): m is CitizenMasker => m !== null)
      if (masks.length === 0) return null
      return (answer, viewer) => masks.reduce((value, mask) => mask(value, viewer), answer)
    }
    default:
      return null
  }
}
