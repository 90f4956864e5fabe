import type { Migration } from '../db/migrations'

/** The knowledge feature's tables: versions 30–39 (see db/migrations.ts). */
export const knowledgeMigrations: Migration[] = []
