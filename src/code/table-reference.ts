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
  | 'prisma-accessor'
  | 'sql-file'
  /** `supabase.storage.from('avatars')`: a storage bucket, not a table. */
  | 'supabase-storage'
  /** A string naming one of the project's SQL functions, passed to a call (`callFunction(sql, 'vtid_get')`). */
  | 'function-name';

export interface TableReference {
  /** The table (function, storage bucket: see `target`) exactly as the code spells it. */
  name: string;
  /** Schema when the code names one (`.schema('s')`, `s.t`), else null. */
  schema: string | null;
  target: 'table' | 'function' | 'bucket';
  kind: ReferenceKind;
  via: ReferenceVia;
  /** Path relative to the project root. */
  file: string;
  line: number;
  column: number;
}

/** A call whose table name is truly dynamic (a parameter, a computed string): counted, never an error. */
export interface UnresolvedReference {
  file: string;
  line: number;
  column: number;
  via: ReferenceVia;
}

/** A relation or function that the repeatable or migration SQL creates (views are not in SchemaModel). */
export interface SqlDefinition {
  /** `transition`: a trigger's REFERENCING … TABLE AS name, a relation only inside its trigger function. */
  kind: 'table' | 'view' | 'function' | 'transition';
  name: string;
  schema: string | null;
  file: string;
  line: number;
  column: number;
  /** For functions: relations (`schema.name`) the body reads or writes, and functions it calls. */
  uses?: string[];
  calls?: string[];
}

/** A column of a Drizzle table, as its builder call says (`text('title').notNull()`). */
export interface DrizzleColumn {
  /** The property key (`createdAt`). */
  key: string;
  /** The name the builder gives (`timestamp('created_at')`), or null: then the key names it (see `casing`). */
  name: string | null;
  /** The builder function (`text`, `varchar`, `timestamp`) or, for an enum column, the pgEnum's database name. */
  builder: string;
  /** True when the builder is a pgEnum of the file (then `builder` is the enum's name). */
  isEnum: boolean;
  /** Literal options of the builder: `{ length: 20 }`, `{ withTimezone: true, precision: 3 }`. */
  options: Record<string, string | number | boolean>;
  /** `.array()` calls after the builder. */
  arrays: number;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** `.defaultNow()` → `now()`, `.default('x')` → `'x'`, a literal's SQL text; null for none or a computed one. */
  default: string | null;
  /** `.references(() => users.id)`: the target table and its property key. */
  references: { table: string; schema: string | null; key: string } | null;
  line: number;
  column: number;
}

/**
 * A Drizzle schema declaration (`pgTable`, `pgSchema('s').table`, `pgView`, `pgMaterializedView`, `pgEnum`): a
 * definition of the database's objects, never a use of them.
 */
export interface DrizzleDefinition {
  kind: 'table' | 'view' | 'materialized-view' | 'enum';
  name: string;
  schema: string | null;
  /** For tables. */
  columns: DrizzleColumn[];
  /** For enums: the labels. */
  values: string[];
  file: string;
  line: number;
  column: number;
}

/**
 * A sign that the project's query builder renames identifiers between the code and the database: Kysely's
 * `CamelCasePlugin` and Knex's `knexSnakeCaseMappers()` (or a snake-casing `wrapIdentifier`) make a camelCase
 * table name in code mean the snake_case table; Drizzle's `casing: 'snake_case'` does so for the column keys.
 */
export interface NamingSignal {
  library: 'kysely' | 'knex' | 'drizzle';
  /** What the code says: `CamelCasePlugin`, `knexSnakeCaseMappers`, `wrapIdentifier`, `casing`. */
  marker: string;
  file: string;
  line: number;
  column: number;
}

export interface CodeScanResult {
  references: TableReference[];
  /** Calls whose table name could not be resolved to a string (counted, not reported). */
  unresolved: UnresolvedReference[];
  /** Files read (after the cheap prefilter) and files scanned in total. */
  filesScanned: number;
  filesMatched: number;
  /**
   * Every file the scanner looked at (root-relative): code files the globs matched, repeatable SQL files,
   * Prisma schemas. The Used-by rules judge only these: a file the scanner never read cannot be called stale.
   */
  files?: string[];
  /** What the repeatable and migration SQL defines; views and functions there are known names too. */
  definitions?: SqlDefinition[];
  /** Drizzle schema declarations found in the code (read as a schema source by src/orm/drizzle-model.ts). */
  drizzle?: DrizzleDefinition[];
  /** Query builders' naming transforms the code turns on. */
  naming?: NamingSignal[];
  /** How the run went: files taken from the cache unread, files read, files parsed, names resolved by ts-morph. */
  stats?: {
    fromCache: number;
    read: number;
    parsed: number;
    /** Files with names the file alone could not resolve, and how many of them needed ts-morph. */
    resolvedFiles: number;
    resolvedByTsMorph: number;
  };
}
