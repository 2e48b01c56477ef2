/**
 * SchemaModel: the one shape that the document's SQL, the replayed migrations and the live catalog are turned
 * into. Every drift rule compares two SchemaModels; every convention rule reads one.
 *
 * Canonical forms (all three producers must emit exactly these, so that equal schemas give equal models):
 * - identifiers as Postgres stores them: unquoted names folded to lower case, quoted names kept ("VtidLedger");
 * - `schema` is the real schema name; unqualified objects live in `public`;
 * - column types in `format_type()` spelling: `integer`, `bigint`, `text`, `character varying(20)`,
 *   `timestamp with time zone`, `text[]`, `jsonb`, `uuid`, `xid8`, `numeric(10,2)` (see normalizeType in types.ts);
 * - `serial`/`bigserial` become `integer`/`bigint` with default `nextval('<table>_<col>_seq'::regclass)`;
 * - defaults, check expressions, policy USING/WITH CHECK and index predicates in the layout `pg_get_expr()`
 *   gives them, passed through normalizeExpr (src/sql/expr.ts) by every producer: outermost parentheses
 *   dropped, casts on literals and plain column references dropped (`'active'::text` → `'active'`,
 *   `'0'::bigint` → `0`: the column type already says it), column qualifiers dropped, `pg_catalog.`/`public.`
 *   dropped; e.g. `now()`, `'{}'`, `(confidence >= 0) AND (confidence <= 100)`,
 *   `status = ANY (ARRAY['a', 'b'])`, `nextval('t_id_seq')`. Text from elsewhere goes through normalizeExpr
 *   before it is compared with a model's;
 * - arrays (columns, constraints, indexes, policies, functions, triggers) sorted by name, so models compare
 *   with a deep equality.
 */

import { isSystemSchema } from './schemas.js';

/** Where something was declared: a migration file, the document, or (for the live database) nothing. */
export interface ModelLocation {
  /** Path relative to the project root. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type ModelSource = 'doc' | 'migrations' | 'database';

export interface ColumnModel {
  name: string;
  /** format_type() spelling, e.g. `timestamp with time zone`, `character varying(20)`, `text[]`. */
  type: string;
  nullable: boolean;
  /** Canonical text of the default (see the header), e.g. `now()`, `'{}'`, `'active'`; null for none. */
  default: string | null;
  /** `always` / `by default` for identity columns. */
  identity: 'always' | 'by default' | null;
  /** Expression of a `generated always as (…) stored` column. */
  generated: string | null;
  /** Text of a `COMMENT ON COLUMN`, or null. */
  comment: string | null;
  loc?: ModelLocation;
  /** Where a later `ALTER COLUMN … TYPE` set `type`; absent while the type is the definition's (`loc`). */
  typeLoc?: ModelLocation;
}

export type ConstraintKind = 'primary_key' | 'unique' | 'foreign_key' | 'check' | 'exclude';

export interface ForeignKeyTarget {
  schema: string;
  table: string;
  columns: string[];
  /** `no action` (default), `cascade`, `set null`, `set default`, `restrict`. */
  onDelete: string;
  onUpdate: string;
}

export interface ConstraintModel {
  /**
   * Name as Postgres would give it: the declared name, else the generated one (`<table>_pkey`,
   * `<table>_<cols>_key`, `<table>_<col>_fkey`, `<table>_<col>_check`).
   */
  name: string;
  kind: ConstraintKind;
  columns: string[];
  /**
   * For `check`: the canonical expression (see the header) without CHECK and its parentheses. `columns` of a
   * check are the columns it references, sorted (as pg_constraint.conkey).
   */
  expression: string | null;
  references: ForeignKeyTarget | null;
  loc?: ModelLocation;
}

export interface IndexModel {
  schema: string;
  name: string;
  table: string;
  /** Columns, or expression text for expression indexes, in order; `DESC` etc. appended as in pg_get_indexdef. */
  columns: string[];
  unique: boolean;
  /** `btree`, `gin`, `gist`, `hash`, `brin`. */
  method: string;
  /** Partial index predicate, or null. */
  where: string | null;
  /** True for the index behind a PRIMARY KEY or UNIQUE constraint. */
  constraintBacked: boolean;
  loc?: ModelLocation;
}

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

export interface PolicyModel {
  schema: string;
  table: string;
  name: string;
  command: PolicyCommand;
  permissive: boolean;
  /** Sorted role names; `public` when none was given. */
  roles: string[];
  using: string | null;
  withCheck: string | null;
  loc?: ModelLocation;
}

export interface FunctionModel {
  schema: string;
  name: string;
  /** pg_get_function_identity_arguments() text, e.g. `p_year integer`. */
  identityArgs: string;
  /** pg_get_function_result() text, e.g. `text`, `SETOF vtid_ledger`, `trigger`. */
  returns: string;
  language: string;
  securityDefiner: boolean;
  /** Value of a `SET search_path` clause, or null when the function does not pin it. */
  searchPath: string | null;
  /**
   * The body as Postgres stores it (pg_proc.prosrc: the text between the dollar quotes) for `sql` and `plpgsql`
   * functions; absent when the producer cannot see it. Not part of the three-producer comparison.
   */
  body?: string | null;
  /**
   * For a SQL-standard body (`RETURN expr`, `BEGIN ATOMIC … END`, which Postgres keeps as a tree, not as text):
   * a CREATE FUNCTION statement holding it, as SQL that parses (the catalog's pg_get_functiondef(), the replay's
   * statement as written). The two spell it differently, so it is left out of the three-producer comparison.
   */
  standardBody?: string | null;
  /** Text of a `COMMENT ON FUNCTION`, or null; absent when the producer cannot see comments on functions. */
  comment?: string | null;
  /**
   * Which of the API roles (`anon`, `authenticated`) may EXECUTE it, directly, through a role they are members of,
   * or through PUBLIC; sorted. Only the live database knows (grants are not replayed): absent elsewhere.
   */
  executableBy?: string[];
  loc?: ModelLocation;
}

/** A view or materialized view, from the live catalog or the replay (which follows its SQL, not its grants); an
 * ORM schema gives their names only. */
export interface ViewModel {
  schema: string;
  name: string;
  materialized: boolean;
  /** `security_invoker` is set to a true value in its reloptions (a materialized view never has it). */
  securityInvoker: boolean;
  /**
   * Which of the API roles (`anon`, `authenticated`) may SELECT from it (directly or through PUBLIC); sorted.
   * Only the live database knows (grants and default privileges are not replayed): absent elsewhere.
   */
  selectableBy?: string[];
  /**
   * Its column names in order (pg_attribute). The replay gives them where the select list tells them (plain
   * column references, aliases, calls; not `*`); absent otherwise.
   */
  columns?: string[];
  loc?: ModelLocation;
}

export interface TriggerModel {
  schema: string;
  table: string;
  name: string;
  /** `before`, `after`, `instead of`. */
  timing: string;
  /** Sorted: `insert`, `update`, `delete`, `truncate`. */
  events: string[];
  level: 'row' | 'statement';
  /** Schema-qualified function name, e.g. `public.set_updated_at`. */
  function: string;
  loc?: ModelLocation;
}

/**
 * An enum type. Only the ORM schemas give these (Prisma's `enum`, Drizzle's `pgEnum`): the replay and the catalog
 * reading do not model types, so no rule compares them yet.
 */
export interface EnumModel {
  schema: string;
  name: string;
  /** The labels as the database stores them, in order. */
  values: string[];
  loc?: ModelLocation;
}

export interface TableModel {
  schema: string;
  name: string;
  columns: ColumnModel[];
  constraints: ConstraintModel[];
  rlsEnabled: boolean;
  rlsForced: boolean;
  comment: string | null;
  loc?: ModelLocation;
}

export interface SchemaModel {
  tables: TableModel[];
  indexes: IndexModel[];
  policies: PolicyModel[];
  functions: FunctionModel[];
  triggers: TriggerModel[];
  /** Views and materialized views; absent when the producer cannot see them (the document's SQL). */
  views?: ViewModel[];
  /**
   * Tables the SQL alters, indexes, references or grants on but never creates (made by hand, by another
   * repository, or before the first migration). They exist, with columns nobody here declares; absent when
   * there are none, and never from the live database (which sees every table).
   */
  externalTables?: ExternalTableModel[];
  /**
   * Tables the history dropped, renamed or moved away and did not make again: code still naming them fails.
   * Absent when there are none, and never from the live database (which has no history).
   */
  goneTables?: GoneTableModel[];
  /**
   * Supabase storage buckets the SQL makes (`insert into storage.buckets (id, …) values ('avatars', …)`), by id.
   * Absent when the SQL makes none (buckets made in the dashboard are not known).
   */
  buckets?: BucketModel[];
  /** Enum types, from the ORM schemas only; absent when the producer cannot see them. */
  enums?: EnumModel[];
}

export interface BucketModel {
  id: string;
  loc: ModelLocation;
}

/** A table that existed at some point of the history and does not at its end (see SchemaModel.goneTables). */
export interface GoneTableModel {
  schema: string;
  name: string;
  /** The statement that dropped, renamed or moved it (the last such statement). */
  loc: ModelLocation;
  /** `schema.name` it was renamed or moved to; null when dropped. */
  becameKey: string | null;
}

/** A table that statements touch but none creates (see SchemaModel.externalTables). */
export interface ExternalTableModel {
  schema: string;
  name: string;
  /** The first statement that touches it. */
  loc: ModelLocation;
  /** Every file whose statements touch it before any creates it, in replay order (the first is loc's). */
  files: string[];
  /** Where a later statement creates it after all (the history then uses it before creating it). */
  createdAt: ModelLocation | null;
  /**
   * A `CREATE TABLE IF NOT EXISTS` that met the table already there and, as Postgres does, did nothing: its
   * column list is not what the database holds (the table stays external, columns unknown).
   */
  skippedCreate?: ModelLocation;
  /** Whether a table of that name exists at the end of the history (a later DROP removes it). */
  exists: boolean;
  /** A DO block's dynamic SQL (EXECUTE of a computed string) named it before: it may have made it. */
  dynamic?: boolean;
  /** An earlier file that does not parse meant to create it (its CREATE TABLE, found by pattern). */
  inFailedFile?: ModelLocation;
}

export function emptySchemaModel(): SchemaModel {
  return { tables: [], indexes: [], policies: [], functions: [], triggers: [] };
}

/** `schema.name`, or just `name` in `public`. The key rules and reports use for a table. */
export function tableKey(t: { schema: string; name: string }): string {
  return t.schema === 'public' ? t.name : `${t.schema}.${t.name}`;
}

/** Finds a table by `name` or `schema.name` (exact, case-sensitive: Postgres names are). */
export function findTable(model: SchemaModel, name: string): TableModel | undefined {
  const dot = name.indexOf('.');
  const schema = dot >= 0 ? name.slice(0, dot) : 'public';
  const bare = dot >= 0 ? name.slice(dot + 1) : name;
  return model.tables.find((t) => t.schema === schema && t.name === bare);
}

export function findColumn(table: TableModel, name: string): ColumnModel | undefined {
  return table.columns.find((c) => c.name === name);
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byKey =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };

/**
 * Returns a copy in canonical order (tables, indexes, … by qualified name; constraints by name). Columns keep
 * their declared order: column order is part of a table. Producers call this before returning a model.
 */
export function canonicalize(model: SchemaModel): SchemaModel {
  return {
    tables: model.tables
      .map((t) => ({ ...t, constraints: [...t.constraints].sort(byName) }))
      .sort(byKey((t) => `${t.schema}.${t.name}`)),
    indexes: [...model.indexes].sort(byKey((i) => `${i.schema}.${i.name}`)),
    policies: [...model.policies].sort(byKey((p) => `${p.schema}.${p.table}.${p.name}`)),
    functions: [...model.functions].sort(byKey((f) => `${f.schema}.${f.name}(${f.identityArgs})`)),
    triggers: [...model.triggers].sort(byKey((t) => `${t.schema}.${t.table}.${t.name}`)),
    ...(model.views ? { views: [...model.views].sort(byKey((v) => `${v.schema}.${v.name}`)) } : {}),
    ...(model.externalTables?.length
      ? { externalTables: [...model.externalTables].sort(byKey((t) => `${t.schema}.${t.name}`)) }
      : {}),
    ...(model.goneTables?.length
      ? { goneTables: [...model.goneTables].sort(byKey((t) => `${t.schema}.${t.name}`)) }
      : {}),
    ...(model.buckets?.length ? { buckets: [...model.buckets].sort(byKey((b) => b.id)) } : {}),
    ...(model.enums ? { enums: [...model.enums].sort(byKey((e) => `${e.schema}.${e.name}`)) } : {}),
  };
}

/** Drops `loc` (and a column's `typeLoc`) everywhere: for comparing models from different producers. */
export function withoutLocations(model: SchemaModel): SchemaModel {
  const strip = <T extends { loc?: ModelLocation }>(x: T): T => {
    const { loc: _loc, ...rest } = x;
    return rest as T;
  };
  return {
    tables: model.tables.map((t) => ({
      ...strip(t),
      columns: t.columns.map((c) => {
        const { typeLoc: _typeLoc, ...rest } = strip(c);
        return rest;
      }),
      constraints: t.constraints.map(strip),
    })),
    indexes: model.indexes.map(strip),
    policies: model.policies.map(strip),
    functions: model.functions.map(strip),
    triggers: model.triggers.map(strip),
    ...(model.views ? { views: model.views.map(strip) } : {}),
    ...(model.enums ? { enums: model.enums.map(strip) } : {}),
  };
}

/**
 * True for a schema that holds the project's own objects: not the system schemas (pg_*, information_schema)
 * and not `auth`, which Supabase owns (on plain Postgres the first migration only creates a stand-in for it).
 * Introspection reads these by default; compare a replayed model with onlySchemas(model, isProjectSchema).
 */
export function isProjectSchema(schema: string): boolean {
  return !isSystemSchema(schema) && schema !== 'auth';
}

/** The part of a model whose objects live in schemas that `keep` accepts. */
export function onlySchemas(model: SchemaModel, keep: (schema: string) => boolean): SchemaModel {
  return {
    tables: model.tables.filter((t) => keep(t.schema)),
    indexes: model.indexes.filter((i) => keep(i.schema)),
    policies: model.policies.filter((p) => keep(p.schema)),
    functions: model.functions.filter((f) => keep(f.schema)),
    triggers: model.triggers.filter((t) => keep(t.schema)),
    ...(model.views ? { views: model.views.filter((v) => keep(v.schema)) } : {}),
    ...(model.enums ? { enums: model.enums.filter((e) => keep(e.schema)) } : {}),
  };
}
