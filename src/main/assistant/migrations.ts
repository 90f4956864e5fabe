import type { Migration } from '../db/migrations'

/** The assistant feature's tables: versions 40–49 (see db/migrations.ts). */
export const assistantMigrations: Migration[] = []
