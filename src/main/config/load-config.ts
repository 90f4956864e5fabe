import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ConfigSchema, describeConfigIssues, SANDBOX_CONFIG_INPUT, type Config } from '../../shared/config'

export interface ResolvedConfig extends Config {
  dataDir: string
  /** The file it came from, or null for the built-in sandbox profile. */
  source: string | null
}

/** A configuration that must stop the start: every line names a key and what is wrong. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[]
  ) {
    super(`配置文件无效 (invalid configuration) ${source}:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/** Default data folder per profile, following the XDG convention Kylin and UOS use. */
export function defaultDataDir(profile: Config['profile']): string {
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share')
  return path.join(base, 'hotline12345-desk', profile)
}

export function parseConfig(input: unknown, source: string): ResolvedConfig {
  const parsed = ConfigSchema.safeParse(input)
  if (!parsed.success) throw new ConfigError(source, describeConfigIssues(parsed.error))
  const cfg = parsed.data
  const base = path.dirname(source === '(sandbox)' ? '.' : source)
  const dataDir = cfg.dataDir ? path.resolve(base, cfg.dataDir) : defaultDataDir(cfg.profile)
  // Paths in the file are relative to the file.
  const security = cfg.security.keyFile ? { ...cfg.security, keyFile: path.resolve(base, cfg.security.keyFile) } : cfg.security
  return { ...cfg, dataDir, security, source: source === '(sandbox)' ? null : source }
}

/** Reads and validates the config file; without a file, the sandbox profile. */
export function loadConfig(file?: string, overrides: Partial<Config> = {}): ResolvedConfig {
  if (!file) return parseConfig({ ...SANDBOX_CONFIG_INPUT, ...overrides }, '(sandbox)')
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(file, [`无法读取文件 (cannot read file): ${(err as Error).message}`])
  }
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new ConfigError(file, [`不是有效的 JSON (not valid JSON): ${(err as Error).message}`])
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ConfigError(file, ['(根 root): 必须是 JSON 对象 (must be a JSON object)'])
  return parseConfig({ ...json, ...overrides }, file)
}
