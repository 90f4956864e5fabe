import type { Migration } from '../db/migrations'

/** The workbench feature's tables: versions 10–29 (see db/migrations.ts). */
export const workbenchMigrations: Migration[] = []
