import type Database from 'better-sqlite3'

/** The knowledge feature's named queries, run in the database worker (see db/operations.ts). */
export const knowledgeOperations = {} satisfies Record<string, (db: Database.Database, args: never) => unknown>
