import { z } from 'zod'
import type { ValidationIssue } from './errors'

/**
 * Turns zod issues into field-level errors in Chinese and English. Schemas that
 * need wording of their own attach `params: {zh, en}` (see `bilingual`); every
 * other issue is worded by zod's own zh-CN and en locales, so the two languages
 * always say the same thing.
 */
const zhCN = z.locales.zhCN().localeError
const en = z.locales.en().localeError

type LocaleFn = (issue: z.core.$ZodRawIssue) => string | { message: string } | undefined | null

function word(locale: LocaleFn, issue: z.core.$ZodIssue): string {
  const out = locale(issue as unknown as z.core.$ZodRawIssue)
  if (typeof out === 'string') return out
  return out?.message ?? issue.message
}

function pathOf(parts: readonly PropertyKey[]): string {
  return parts.map((p) => String(p)).join('.')
}

export function toValidationIssues(error: z.ZodError, prefix?: string): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  for (const issue of error.issues) {
    const base = prefix ? [prefix, ...issue.path] : issue.path
    if (issue.code === 'unrecognized_keys') {
      // One issue per unknown field, so a form can point at it.
      for (const key of issue.keys) {
        issues.push({ path: pathOf([...base, key]), code: 'unrecognized_key', message_zh: `不允许的字段 "${key}"`, message_en: `unknown field "${key}"` })
      }
      continue
    }
    const params = (issue as { params?: { zh?: unknown; en?: unknown } }).params
    if (issue.code === 'custom' && typeof params?.zh === 'string' && typeof params.en === 'string') {
      issues.push({ path: pathOf(base), code: issue.code, message_zh: params.zh, message_en: params.en })
      continue
    }
    issues.push({ path: pathOf(base), code: issue.code, message_zh: word(zhCN, issue), message_en: word(en, issue) })
  }
  return issues
}
