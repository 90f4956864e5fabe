/**
 * The one CSV reader (RFC 4180) for every file the desktop and the platform take in: labelled tickets, duty lists,
 * public messages with their replies.
 *
 * Quoted fields may hold commas, doubled quotes and newlines; a leading BOM is ignored; CRLF, LF and a lone CR all
 * end a record; blank lines are skipped. Bad rows are never dropped silently: they come back in `errors` with the
 * line they start on, so a caller can print them and decide.
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
      if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++
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

/** Where each named column is in a header record (names trimmed, any case); -1 for a column the file lacks. */
export function csvColumns(header: CsvRecord | undefined): (name: string) => number {
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? []
  return (name) => names.indexOf(name.toLowerCase())
}

/** Quotes a field for writing when it needs it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
