import type { Migration } from '../db/migrations'

/** The phone feature's tables: versions 50–59 (see db/migrations.ts). */
export const phoneMigrations: Migration[] = []
