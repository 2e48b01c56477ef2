/**
 * DocModel: what a canonical schema document (DATABASE_SCHEMA.md and documents like the seeds) says, with the
 * line of everything so that a finding can point at it. The doc parser produces it; the table schemas in it
 * are turned into a SchemaModel (see docToSchemaModel) so drift rules can compare it with the migrations.
 */
import type { ColumnModel } from '../model/schema-model.js';

/** Which top-level section of the document a table entry sits under. */
export type DocSection = 'production' | 'deprecated' | 'other';

export interface DocUsedBy {
  /** The path as written, without backticks, e.g. `services/gateway/src/routes/vtid.ts`; or a free-text user. */
  path: string;
  /** True when `path` looks like a file path (has a `/` or a file extension), false for "OASIS Operator". */
  isFile: boolean;
  /** Text after the path, e.g. `CRUD operations`, or null. */
  note: string | null;
  line: number;
}

export interface DocEndpoint {
  /** `GET`, `POST`, … or `SQL` for a documented SQL function. */
  method: string;
  path: string;
  description: string | null;
  line: number;
}

export interface DocStatusValues {
  column: string;
  values: string[];
  /** Where the list was written: a `-- Values:` comment in the SQL, or a "Status Values" list. */
  origin: 'sql-comment' | 'status-list' | 'column-table';
  line: number;
}

export interface DocEvent {
  name: string;
  description: string | null;
  line: number;
}

export interface DocDeprecation {
  reason: string | null;
  /** The table the document says to use instead ("Use `vtid_ledger` instead"), or null. */
  replacement: string | null;
  line: number;
}

/** The schema of a table as the document gives it: an SQL block, or a markdown column table. */
export type DocSchema =
  | {
      kind: 'sql';
      /** The SQL exactly as written in the block. */
      sql: string;
      /** 1-based line of the block's first SQL line in the document. */
      line: number;
    }
  | {
      kind: 'column-table';
      /** Columns read from `| Column | Type | Description |`, types normalized; constraints unknown. */
      columns: ColumnModel[];
      line: number;
      /** The rows as written (type not normalized), with their lines. */
      rows?: DocColumnRow[];
    };

export interface DocColumnRow {
  name: string;
  /** The type as written, e.g. `TIMESTAMP`. */
  type: string;
  description: string | null;
  line: number;
}

export interface DocTable {
  /** Table name as the heading (or the schema) gives it, e.g. `vtid_ledger`, `VtidLedger`. */
  name: string;
  /** The heading's text as written (after encoding repair), e.g. `VtidLedger (PascalCase)`. */
  heading: string;
  /** 1-based line of the heading. */
  line: number;
  section: DocSection;
  purpose: string | null;
  usedBy: DocUsedBy[];
  schema: DocSchema | null;
  endpoints: DocEndpoint[];
  statusValues: DocStatusValues[];
  events: DocEvent[];
  deprecation: DocDeprecation | null;
}

export interface DocChangelogEntry {
  date: string;
  change: string;
  author: string | null;
  vtid: string | null;
  line: number;
}

/** A run of mis-decoded text: what was found, what it should be, and whether the repair had to guess. */
export interface DocMojibake {
  line: number;
  column: number;
  found: string;
  repaired: string;
  /** UTF-8 read as this single-byte encoding. */
  encoding: 'macintosh' | 'windows-1252';
  /** True when bytes were lost and the repair picked the most likely character. */
  guessed: boolean;
  /** When guessed: the other characters that fit the bytes left, most likely first. */
  alternatives?: string[];
}

export interface DocSectionInfo {
  /**
   * Normalized key: `critical-rules`, `production-tables`, `deprecated`, `adding-a-new-table`, `troubleshooting`,
   * `change-log`, `api-endpoints`, or `other`.
   */
  key: string;
  /** Heading text after encoding repair. */
  heading: string;
  line: number;
}

/** A problem found while reading the document; the doc rules turn these into findings. */
export interface DocProblem {
  rule: 'doc-syntax' | 'doc-misplaced-table' | 'doc-duplicate-table' | 'doc-encoding' | 'doc-changelog';
  message: string;
  line: number;
  column: number;
  table?: string;
}

export interface DocModel {
  /** Path relative to the project root. */
  file: string;
  title: string | null;
  sections: DocSectionInfo[];
  tables: DocTable[];
  changelog: DocChangelogEntry[];
  /** Endpoints documented in a section of their own (`## API Endpoints`), not inside a table entry. */
  endpoints?: DocEndpoint[];
  mojibake: DocMojibake[];
  problems: DocProblem[];
  /** Line ending found in the file. */
  eol: '\n' | '\r\n';
}
