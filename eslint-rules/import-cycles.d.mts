import type { Rule } from 'eslint'

/** The shortest import path from `start` back to `target` (the files in order, `start` first), or null. */
export function pathBack(start: string, target: string, root?: string): string[] | null
/** The source files a file imports (static, re-export and dynamic imports), resolved. */
export function importsOf(file: string, root?: string): string[]
/** A relative or @shared import resolved to a file, or null. */
export function resolveImport(fromFile: string, spec: string, root?: string): string | null
declare const rule: Rule.RuleModule
export default rule
