import { registerMigrations } from '../db/migrations'

/** The knowledge feature's tables (the rule for adding one: db/migration-runner.ts). */
export const knowledgeMigrations = registerMigrations('knowledge', [
  {
    // Offline index of articles, categories, yellow pages, reply templates, personal notes.
    id: 'knowledge/1-offline-index',
    legacy: {
      version: 30,
      creates: ['kb_categories', 'kb_articles', 'kb_articles_department', 'kb_article_versions', 'kb_fts', 'kb_fts_vocab', 'kb_yellow_pages', 'kb_reply_templates', 'kb_notes', 'kb_notes_owner']
    },
    up(db) {
      db.exec(`
        -- The platform's category tree, kept to filter articles by category (with descendants) and by department.
        CREATE TABLE kb_categories (
          id                    TEXT PRIMARY KEY,
          parent_id             TEXT,
          level                 INTEGER NOT NULL,
          name                  TEXT NOT NULL,
          default_department_id TEXT
        ) STRICT;
        -- Articles as last synced (published and retired: a retired article leaves the search index,
        -- a citation of it in an old reply still resolves).
        CREATE TABLE kb_articles (
          id            INTEGER PRIMARY KEY,
          title         TEXT NOT NULL,
          category_id   TEXT,
          category_path TEXT NOT NULL DEFAULT '/',   -- '/level1/level2/level3/': filter by any ancestor
          department_id TEXT,                        -- the category's (or its parent's) usual department
          body          TEXT NOT NULL,
          keywords      TEXT NOT NULL,               -- JSON array
          version       INTEGER NOT NULL,
          status        TEXT NOT NULL CHECK (status IN ('published', 'retired')),
          source        TEXT NOT NULL,
          updated_at    TEXT NOT NULL,
          updated_by    TEXT NOT NULL
        ) STRICT;
        CREATE INDEX kb_articles_department ON kb_articles(department_id);
        -- Earlier versions seen while online, so the preview can show what changed offline too.
        CREATE TABLE kb_article_versions (
          article_id INTEGER NOT NULL,
          version    INTEGER NOT NULL,
          title      TEXT NOT NULL,
          body       TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          updated_by TEXT NOT NULL,
          PRIMARY KEY (article_id, version)
        ) STRICT;
        -- Search index. Tokens come from shared/knowledge/tokenize.ts (space-separated, so unicode61 only
        -- splits on spaces); contentless: the text lives once, in kb_articles.
        CREATE VIRTUAL TABLE kb_fts USING fts5(
          title, keywords, body, chars,
          content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
        );
        -- Per-term document counts: the query keeps its most selective terms (fast and better ranked).
        CREATE VIRTUAL TABLE kb_fts_vocab USING fts5vocab(kb_fts, 'row');
        CREATE TABLE kb_yellow_pages (
          department_id TEXT PRIMARY KEY,
          name          TEXT NOT NULL,
          phone         TEXT NOT NULL,
          address       TEXT NOT NULL,
          office_hours  TEXT NOT NULL
        ) STRICT;
        CREATE TABLE kb_reply_templates (
          id          INTEGER PRIMARY KEY,
          title       TEXT NOT NULL,
          category_id TEXT,
          body        TEXT NOT NULL
        ) STRICT;
        -- An agent's own notes: local only, title and body sealed with the data key (they may quote citizens).
        CREATE TABLE kb_notes (
          id         INTEGER PRIMARY KEY,
          owner      TEXT NOT NULL,
          sealed     TEXT NOT NULL,                -- FieldCipher text of {"title","body"}
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX kb_notes_owner ON kb_notes(owner, updated_at);
      `)
    }
  },
  {
    id: 'knowledge/2-term-document-counts',
    legacy: { version: 31, creates: ['kb_terms'] },
    up(db) {
      // The query keeps its rarest terms; fts5vocab answers "in how many articles" by walking the term's whole
      // posting list (slow for common terms, and a query asks for every one of its ~100 terms). A plain table
      // kept by the indexer answers in microseconds.
      db.exec(`
        CREATE TABLE kb_terms (
          term TEXT PRIMARY KEY,
          df   INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        INSERT INTO kb_terms (term, df) SELECT term, doc FROM kb_fts_vocab;
      `)
    }
  }
])
