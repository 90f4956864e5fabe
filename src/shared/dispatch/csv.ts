import { type CsvRowError, csvColumns, parseCsv } from '../csv'

/** Labelled ticket files (`id,text,label[,department]`) for training and evaluating the dispatch model. */

export interface LabelledRow {
  id: string
  text: string
  label: string
  department?: string
  line: number
}

/**
 * Reads a labelled ticket file with header `id,text,label` (an optional `department` column is used when present).
 * `requireLabel: false` accepts files without a label column (labels come back empty).
 */
export function parseLabelledCsv(
  input: string,
  opts: { requireLabel?: boolean } = {}
): { rows: LabelledRow[]; errors: CsvRowError[] } {
  const requireLabel = opts.requireLabel ?? true
  const { records, errors } = parseCsv(input)
  const rows: LabelledRow[] = []
  const header = records[0]
  if (!header) return { rows, errors: [...errors, { line: 1, message: 'empty file: expected a header id,text,label' }] }
  const col = csvColumns(header)
  const iId = col('id')
  const iText = col('text')
  const iLabel = col('label')
  const iDept = col('department')
  if (iText < 0 || (requireLabel && iLabel < 0)) {
    return {
      rows,
      errors: [
        ...errors,
        { line: header.line, message: `bad header "${header.fields.join(',')}": expected columns id,text,label` }
      ]
    }
  }
  for (const rec of records.slice(1)) {
    if (rec.fields.length !== header.fields.length) {
      errors.push({ line: rec.line, message: `expected ${header.fields.length} fields, found ${rec.fields.length}` })
      continue
    }
    const text = (rec.fields[iText] ?? '').trim()
    const label = iLabel >= 0 ? (rec.fields[iLabel] ?? '').trim() : ''
    if (text === '') {
      errors.push({ line: rec.line, message: 'empty text' })
      continue
    }
    if (requireLabel && label === '') {
      errors.push({ line: rec.line, message: 'empty label' })
      continue
    }
    const row: LabelledRow = {
      id: iId >= 0 ? (rec.fields[iId] ?? '').trim() : String(rec.line),
      text,
      label,
      line: rec.line
    }
    const dept = iDept >= 0 ? (rec.fields[iDept] ?? '').trim() : ''
    if (dept !== '') row.department = dept
    rows.push(row)
  }
  return { rows, errors }
}

