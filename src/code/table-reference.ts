/** A place in the code (or in repeatable SQL) that names a table or an RPC function. */
export type ReferenceKind = 'read' | 'write' | 'unknown';

export type ReferenceVia =
  | 'supabase-from'
  | 'supabase-rpc'
  | 'postgrest-url'
  | 'sql-tag'
  | 'sql-query'
  | 'kysely'
  | 'knex'
  | 'drizzle'
  | 'prisma-model'
  | 'prisma-accessor'
  | 'sql-file';

export interface TableReference {
  /** The table (or function, for `target: 'function'`) exactly as the code spells it. */
  name: string;
  /** Schema when the code names one (`.schema('s')`, `s.t`), else null. */
  schema: string | null;
  target: 'table' | 'function';
  kind: ReferenceKind;
  via: ReferenceVia;
  /** Path relative to the project root. */
  file: string;
  line: number;
  column: number;
}

export interface CodeScanResult {
  references: TableReference[];
  /** Calls whose table name could not be resolved to a string (counted, not reported). */
  unresolved: { file: string; line: number; column: number; via: ReferenceVia }[];
  /** Files read (after the cheap prefilter) and files scanned in total. */
  filesScanned: number;
  filesMatched: number;
}
