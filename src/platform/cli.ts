import { parseArgs } from 'node:util'
import { RoleSchema } from '../shared/roles'
import { insertUser } from './auth'
import { openDatabase } from './db/open-database'
import { startPlatform } from './platform'
import { importRepliesCsv } from './seed/import-replies'

/**
 * The reference platform on the command line.
 *
 *   platform --port N --data DIR [--seed sandbox] [--profile production]
 *       serves on 127.0.0.1 and prints exactly one line PLATFORM_URL=http://127.0.0.1:PORT when ready
 *   platform import-replies --data DIR --csv PATH [--limit N]
 *       loads messages_with_replies.csv (id,text,reply) into knowledge articles
 *   platform add-user --data DIR --username U --name NAME --roles admin[,qa…]
 *       creates an account; the password is read from PLATFORM_USER_PASSWORD (never from argv)
 */
const USAGE = 'usage: platform --port N --data DIR [--seed sandbox] [--profile sandbox|production]\n       platform import-replies --data DIR --csv PATH [--limit N]\n       platform add-user --data DIR --username U --name NAME --roles ROLE[,ROLE]'

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`)
  process.exit(2)
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, data: { type: 'string' }, seed: { type: 'string' }, profile: { type: 'string' } } })
  const port = Number(values.port ?? '0')
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port ${values.port}`)
  if (!values.data) fail('--data DIR is required')
  const profile = values.profile ?? 'sandbox'
  if (profile !== 'sandbox' && profile !== 'production') fail(`bad --profile ${profile}`)
  if (values.seed !== undefined && values.seed !== 'sandbox') fail(`bad --seed ${values.seed}`)
  const running = await startPlatform({ port, host: '127.0.0.1', dataDir: values.data, profile, ...(values.seed ? { seed: 'sandbox' as const } : {}) })
  process.stdout.write(`PLATFORM_URL=${running.url}\n`)
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err)
        process.exit(1)
      }
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

function importReplies(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, csv: { type: 'string' }, limit: { type: 'string' } } })
  if (!values.data || !values.csv) fail('--data and --csv are required')
  const db = openDatabase(values.data)
  try {
    const result = importRepliesCsv(db, values.csv, values.limit ? { limit: Number(values.limit) } : {})
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    db.close()
  }
}

function addUser(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, username: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' } } })
  const password = process.env.PLATFORM_USER_PASSWORD
  if (!values.data || !values.username || !values.name || !values.roles) fail('--data, --username, --name and --roles are required')
  if (!password || password.length < 10) fail('PLATFORM_USER_PASSWORD must hold a password of 10+ characters')
  const roles = values.roles.split(',').map((r) => RoleSchema.parse(r.trim()))
  const db = openDatabase(values.data)
  try {
    insertUser(db, { id: values.username, username: values.username, displayName: values.name, roles, password })
  } finally {
    db.close()
  }
}

const [command, ...rest] = process.argv.slice(2)
try {
  if (command === 'import-replies') importReplies(rest)
  else if (command === 'add-user') addUser(rest)
  else
    void serve(process.argv.slice(2)).catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
      process.exit(1)
    })
} catch (err) {
  fail(err instanceof Error ? err.message : String(err))
}
