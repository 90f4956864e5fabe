/**
 * RFC 4180 CSV reader for labelled ticket files (`id,text,label[,department]`).
 *
 * Quoted fields may hold commas, doubled quotes and newlines; a leading BOM is ignored; CRLF and LF both end a
 * record. Bad rows are never dropped silently: they come back in `errors` with the line they start on, so a caller
 * can print them and decide.
 */

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number
  fields: string[]
}

export interface CsvRowError {
  line: number
  message: string
}

/** Splits CSV text into records. Unterminated quotes are reported as an error for the record they start. */
export function parseCsv(input: string): { records: CsvRecord[]; errors: CsvRowError[] } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const records: CsvRecord[] = []
  const errors: CsvRowError[] = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let inQuotes = false
  let quotedField = false
  let i = 0
  const n = text.length
  const endField = (): void => {
    fields.push(field)
    field = ''
    quotedField = false
  }
  const endRecord = (): void => {
    endField()
    // A record that is a single empty field is a blank line: skip it.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields })
    fields = []
  }
  while (i < n) {
    const c = text[i]!
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        inQuotes = false
        i++
        continue
      }
      if (c === '\n') line++
      field += c
      i++
      continue
    }
    if (c === '"') {
      if (field === '' && !quotedField) {
        inQuotes = true
        quotedField = true
      } else {
        // A stray quote inside an unquoted field: keep it literally (lenient, like most readers).
        field += c
      }
      i++
      continue
    }
    if (c === ',') {
      endField()
      i++
      continue
    }
    if (c === '\r' || c === '\n') {
      endRecord()
      if (c === '\r' && text[i + 1] === '\n') i++
      i++
      line++
      recordLine = line
      continue
    }
    field += c
    i++
  }
  if (inQuotes) {
    errors.push({ line: recordLine, message: 'unterminated quoted field (runs to end of file)' })
  } else if (field !== '' || fields.length > 0) {
    endRecord()
  }
  return { records, errors }
}

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
  const names = header.fields.map((f) => f.trim().toLowerCase())
  const col = (name: string): number => names.indexOf(name)
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
    if (rec.fields.length !== names.length) {
      errors.push({ line: rec.line, message: `expected ${names.length} fields, found ${rec.fields.length}` })
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

/** Quotes a field for writing when it needs it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
