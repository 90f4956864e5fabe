import { registerMigrations } from '../db/migrations'

/** The phone feature's tables (none yet; the rule for adding a migration: db/migration-runner.ts). */
export const phoneMigrations = registerMigrations('phone', [])
