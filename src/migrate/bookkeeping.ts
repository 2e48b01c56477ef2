/**
 * What the database records about past runs, in the format of the project's runner, so that either tool reads
 * the other's history:
 * - `node-pg-migrate`: its table (`migrationsSchema`.`migrationsTable`, `public.pgmigrations` by default: which
 *   migrations ran, in which order), written exactly as node-pg-migrate writes it;
 * - `supabase`: the Supabase CLI's `supabase_migrations.schema_migrations` (version, name, statements), written
 *   as the CLI writes it, so `supabase migration list` and `db push` see what `dbcanon migrate` applied and the
 *   other way round. Its schema is not one the API exposes.
 * Beside the history, in the same schema, dbcanon's two tables: the SHA-256 of every applied versioned migration,
 * and of every repeatable as last applied.
 *
 * A Supabase project migrated by an earlier dbcanon has its records in `public` (node-pg-migrate's format):
 * they are read as well, and the first `migrate up` moves them (see adoptLegacyRecords).
 */
import type { DbcanonConfig, MigrationRunnerId } from '../config/schema.js';
import type { Queryable } from '../db/session.js';

export const CHECKSUM_TABLE = 'dbcanon_migrations';
export const REPEATABLE_TABLE = 'dbcanon_repeatables';

/** The Supabase CLI's history (supabase/cli, pkg/migration/history.go). */
export const SUPABASE_HISTORY_SCHEMA = 'supabase_migrations';
export const SUPABASE_HISTORY_TABLE = 'schema_migrations';

export type HistoryFormat = 'node-pg-migrate' | 'supabase';

/** Whose history table a project's runner keeps (the runners `migrate` applies: node-pg-migrate and supabase). */
export function historyFormat(runner: MigrationRunnerId): HistoryFormat {
  return runner === 'supabase' ? 'supabase' : 'node-pg-migrate';
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export interface TableNames {
  format: HistoryFormat;
  schema: string;
  /** Qualified, quoted names. */
  migrations: string;
  checksums: string;
  repeatables: string;
  /** Where an earlier dbcanon kept a Supabase project's records (node-pg-migrate's format), when it differs. */
  legacy: { migrations: string; checksums: string; repeatables: string } | null;
}

export function tableNames(config: DbcanonConfig, format: HistoryFormat = 'node-pg-migrate'): TableNames {
  const npm = (schema: string) => {
    const s = quoteIdent(schema);
    return {
      migrations: `${s}.${quoteIdent(config.migrationsTable)}`,
      checksums: `${s}.${quoteIdent(CHECKSUM_TABLE)}`,
      repeatables: `${s}.${quoteIdent(REPEATABLE_TABLE)}`,
    };
  };
  if (format === 'node-pg-migrate') {
    return { format, schema: config.migrationsSchema, ...npm(config.migrationsSchema), legacy: null };
  }
  const s = quoteIdent(SUPABASE_HISTORY_SCHEMA);
  return {
    format,
    schema: SUPABASE_HISTORY_SCHEMA,
    migrations: `${s}.${quoteIdent(SUPABASE_HISTORY_TABLE)}`,
    checksums: `${s}.${quoteIdent(CHECKSUM_TABLE)}`,
    repeatables: `${s}.${quoteIdent(REPEATABLE_TABLE)}`,
    legacy: npm(config.migrationsSchema),
  };
}

export interface AppliedMigration {
  name: string;
  /** When it ran; null where the runner does not record it (the Supabase CLI). */
  runOn: Date | null;
}

export interface DatabaseRecords {
  /** Applied migrations in the order they ran (node-pg-migrate: run_on, then id; Supabase: version). */
  applied: AppliedMigration[];
  /** Recorded SHA-256 per migration name. */
  checksums: Map<string, string>;
  /** Recorded SHA-256 per repeatable file (relative path). */
  repeatables: Map<string, string>;
  /** Records an earlier dbcanon left in `public` for a Supabase project, which `migrate up` moves. */
  legacy?: boolean;
}

/** A Supabase CLI row's migration name, as the file name without `.sql` (`<version>_<name>`). */
const supabaseName = (version: string, name: string | null) => (name ? `${version}_${name}` : version);

/** Reads the records; a table that does not exist yet reads as empty (a database never migrated). */
export async function readRecords(
  sql: Queryable,
  config: DbcanonConfig,
  format: HistoryFormat = 'node-pg-migrate',
): Promise<DatabaseRecords> {
  const t = tableNames(config, format);
  const l = t.legacy;
  const [exists] = (await sql.unsafe(
    `select to_regclass(${quoteLiteral(t.migrations)}) is not null as m,
            to_regclass(${quoteLiteral(t.checksums)}) is not null as c,
            to_regclass(${quoteLiteral(t.repeatables)}) is not null as r,
            ${l ? `to_regclass(${quoteLiteral(l.migrations)}) is not null` : 'false'} as lm,
            ${l ? `to_regclass(${quoteLiteral(l.checksums)}) is not null` : 'false'} as lc,
            ${l ? `to_regclass(${quoteLiteral(l.repeatables)}) is not null` : 'false'} as lr`,
  )) as { m: boolean; c: boolean; r: boolean; lm: boolean; lc: boolean; lr: boolean }[];
  const e = exists ?? { m: false, c: false, r: false, lm: false, lc: false, lr: false };
  const history = async (): Promise<AppliedMigration[]> => {
    if (format === 'node-pg-migrate') {
      if (!e.m) return [];
      const rows = (await sql.unsafe(`select name, run_on from ${t.migrations} order by run_on, id`)) as {
        name: string;
        run_on: Date;
      }[];
      return rows.map((r) => ({ name: r.name, runOn: r.run_on }));
    }
    const rows = e.m
      ? ((await sql.unsafe(`select version, name from ${t.migrations} order by version`)) as {
          version: string;
          name: string | null;
        }[])
      : [];
    const applied: AppliedMigration[] = rows.map((r) => ({
      name: supabaseName(r.version, r.name),
      runOn: null,
    }));
    // Only where dbcanon kept them (its checksum table beside): a pgmigrations of another tool is not ours.
    if (l && e.lm && e.lc) {
      const seen = new Set(applied.map((a) => a.name));
      const old = (await sql.unsafe(`select name from ${l.migrations} order by run_on, id`)) as {
        name: string;
      }[];
      for (const r of old) if (!seen.has(r.name)) applied.push({ name: r.name, runOn: null });
    }
    return applied;
  };
  const pairs = async (table: string, key: string, there: boolean) =>
    there
      ? ((await sql.unsafe(`select ${key} as k, checksum from ${table}`)) as {
          k: string;
          checksum: string;
        }[])
      : [];
  const [applied, checksums, repeatables, oldChecksums, oldRepeatables] = await Promise.all([
    history(),
    pairs(t.checksums, 'name', e.c),
    pairs(t.repeatables, 'file', e.r),
    l ? pairs(l.checksums, 'name', e.lc && !e.c) : [],
    l ? pairs(l.repeatables, 'file', e.lr && !e.r) : [],
  ]);
  return {
    applied,
    checksums: new Map([...oldChecksums, ...checksums].map((r) => [r.k, r.checksum])),
    repeatables: new Map([...oldRepeatables, ...repeatables].map((r) => [r.k, r.checksum])),
    legacy: e.lc || e.lr,
  };
}

/**
 * Creates the bookkeeping tables (and their schema) when missing: the runner's history table, with the columns
 * its runner creates it with, and dbcanon's. Runs under the migration lock.
 */
export async function ensureBookkeeping(
  sql: Queryable,
  config: DbcanonConfig,
  format: HistoryFormat = 'node-pg-migrate',
): Promise<void> {
  const t = tableNames(config, format);
  // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege even when the schema exists, so look first.
  const [ns] = await sql.unsafe(
    `select 1 as one from pg_namespace where nspname = ${quoteLiteral(t.schema)}`,
  );
  if (!ns) await sql.unsafe(`create schema ${quoteIdent(t.schema)}`);
  const history =
    format === 'node-pg-migrate'
      ? `create table if not exists ${t.migrations} (
      id serial primary key,
      name varchar(255) not null,
      run_on timestamp not null
    );`
      : // As the Supabase CLI creates it (and adds columns to an older one).
        `create table if not exists ${t.migrations} (version text not null primary key);
    alter table ${t.migrations} add column if not exists statements text[];
    alter table ${t.migrations} add column if not exists name text;`;
  await sql.unsafe(`
    ${history}
    create table if not exists ${t.checksums} (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    );
    create table if not exists ${t.repeatables} (
      file text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
}

/**
 * Moves what an earlier dbcanon recorded in `public` for a Supabase project into the Supabase CLI's history and
 * its schema: the applied migrations into `schema_migrations` (their statements unknown), dbcanon's checksum
 * tables into `supabase_migrations`. node-pg-migrate's table is left where it is (another tool may read it).
 * Returns what it did, for the log. Runs under the migration lock, after ensureBookkeeping.
 */
export async function adoptLegacyRecords(sql: Queryable, config: DbcanonConfig): Promise<string[]> {
  const t = tableNames(config, 'supabase');
  const l = t.legacy;
  if (!l) return [];
  const done: string[] = [];
  const [e] = (await sql.unsafe(
    `select to_regclass(${quoteLiteral(l.migrations)}) is not null as lm,
            to_regclass(${quoteLiteral(l.checksums)}) is not null as lc,
            to_regclass(${quoteLiteral(l.repeatables)}) is not null as lr`,
  )) as { lm: boolean; lc: boolean; lr: boolean }[];
  if (e?.lm && e.lc) {
    const copied = await sql.unsafe(
      `insert into ${t.migrations} (version, name)
       select substring(name from '^[0-9]+'), nullif(substring(name from '^[0-9]+_(.*)$'), '')
         from ${l.migrations} where name ~ '^[0-9]+'
       on conflict (version) do nothing
       returning version`,
    );
    if (copied.length > 0) {
      done.push(
        `copied ${copied.length} applied migration${copied.length === 1 ? '' : 's'} from ${l.migrations} into ${t.migrations} (the Supabase CLI's history); ${l.migrations} is left as it was`,
      );
    }
  }
  for (const [there, from, to] of [
    [e?.lc, l.checksums, t.checksums],
    [e?.lr, l.repeatables, t.repeatables],
  ] as const) {
    if (!there) continue;
    await sql.unsafe(`insert into ${to} select * from ${from} on conflict do nothing; drop table ${from}`);
    done.push(`moved ${from} to ${to}`);
  }
  return done;
}

/** SQL that records a migration's checksum; run inside the migration's own transaction. */
export function recordChecksumSql(t: TableNames, name: string, checksum: string): string {
  return `insert into ${t.checksums} (name, checksum) values (${quoteLiteral(name)}, ${quoteLiteral(checksum)})
  on conflict (name) do update set checksum = excluded.checksum, applied_at = now();`;
}

/**
 * SQL that records a migration as run, as its runner records it: node-pg-migrate's row, or the Supabase CLI's
 * (version, name and the statements it ran). Run with its checksum row.
 */
export function markRunSql(t: TableNames, name: string, statements: readonly string[] = []): string {
  if (t.format === 'node-pg-migrate') {
    return `insert into ${t.migrations} (name, run_on) values (${quoteLiteral(name)}, now());`;
  }
  const m = /^(\d+)(?:_(.*))?$/.exec(name);
  const version = m?.[1] ?? name;
  const rest = m?.[2] ? quoteLiteral(m[2]) : 'null';
  const list = `array[${statements.map(quoteLiteral).join(', ')}]::text[]`;
  return `insert into ${t.migrations} (version, name, statements) values (${quoteLiteral(version)}, ${rest}, ${list});`;
}

/** SQL that forgets a reverted migration in the runner's history. */
export function unmarkRunSql(t: TableNames, name: string): string {
  if (t.format === 'node-pg-migrate') {
    return `delete from ${t.migrations} where name = ${quoteLiteral(name)};`;
  }
  return `delete from ${t.migrations} where version = ${quoteLiteral(/^\d+/.exec(name)?.[0] ?? name)};`;
}

/** SQL that forgets a reverted migration's checksum; run inside the revert's own transaction. */
export function forgetChecksumSql(t: TableNames, name: string): string {
  return `delete from ${t.checksums} where name = ${quoteLiteral(name)};`;
}

export function recordRepeatableSql(t: TableNames, file: string, checksum: string): string {
  return `insert into ${t.repeatables} (file, checksum) values (${quoteLiteral(file)}, ${quoteLiteral(checksum)})
  on conflict (file) do update set checksum = excluded.checksum, applied_at = now();`;
}

/** SQL that forgets every repeatable, so that the next `up` applies each again. */
export function forgetRepeatablesSql(t: TableNames): string {
  return `delete from ${t.repeatables};`;
}
