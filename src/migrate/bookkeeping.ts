/**
 * What the database records about past runs: node-pg-migrate's table (which migrations ran, in which order;
 * dbcanon writes it exactly as node-pg-migrate does, so either tool reads the other's history) and dbcanon's
 * two tables beside it in `migrationsSchema`: the SHA-256 of every applied versioned migration, and of every
 * repeatable as last applied.
 */
import type { DbcanonConfig } from '../config/schema.js';
import type { Queryable } from '../db/session.js';

export const CHECKSUM_TABLE = 'dbcanon_migrations';
export const REPEATABLE_TABLE = 'dbcanon_repeatables';

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export interface TableNames {
  schema: string;
  /** Qualified, quoted names. */
  migrations: string;
  checksums: string;
  repeatables: string;
}

export function tableNames(config: DbcanonConfig): TableNames {
  const s = quoteIdent(config.migrationsSchema);
  return {
    schema: config.migrationsSchema,
    migrations: `${s}.${quoteIdent(config.migrationsTable)}`,
    checksums: `${s}.${quoteIdent(CHECKSUM_TABLE)}`,
    repeatables: `${s}.${quoteIdent(REPEATABLE_TABLE)}`,
  };
}

export interface AppliedMigration {
  name: string;
  runOn: Date;
}

export interface DatabaseRecords {
  /** Applied migrations in the order they ran (node-pg-migrate's order: run_on, then id). */
  applied: AppliedMigration[];
  /** Recorded SHA-256 per migration name. */
  checksums: Map<string, string>;
  /** Recorded SHA-256 per repeatable file (relative path). */
  repeatables: Map<string, string>;
}

/** Reads the records; a table that does not exist yet reads as empty (a database never migrated). */
export async function readRecords(sql: Queryable, config: DbcanonConfig): Promise<DatabaseRecords> {
  const t = tableNames(config);
  const [exists] = (await sql.unsafe(
    `select to_regclass(${quoteLiteral(t.migrations)}) is not null as m,
            to_regclass(${quoteLiteral(t.checksums)}) is not null as c,
            to_regclass(${quoteLiteral(t.repeatables)}) is not null as r`,
  )) as { m: boolean; c: boolean; r: boolean }[];
  const [applied, checksums, repeatables] = (await Promise.all([
    exists?.m ? sql.unsafe(`select name, run_on from ${t.migrations} order by run_on, id`) : [],
    exists?.c ? sql.unsafe(`select name, checksum from ${t.checksums}`) : [],
    exists?.r ? sql.unsafe(`select file, checksum from ${t.repeatables}`) : [],
  ])) as [
    { name: string; run_on: Date }[],
    { name: string; checksum: string }[],
    { file: string; checksum: string }[],
  ];
  return {
    applied: applied.map((r) => ({ name: r.name, runOn: r.run_on })),
    checksums: new Map(checksums.map((r) => [r.name, r.checksum])),
    repeatables: new Map(repeatables.map((r) => [r.file, r.checksum])),
  };
}

/**
 * Creates the bookkeeping tables (and their schema) when missing: node-pg-migrate's, with the columns it creates
 * them with, and dbcanon's. Runs under the migration lock.
 */
export async function ensureBookkeeping(sql: Queryable, config: DbcanonConfig): Promise<void> {
  const t = tableNames(config);
  // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege even when the schema exists, so look first.
  const [ns] = await sql.unsafe(
    `select 1 as one from pg_namespace where nspname = ${quoteLiteral(t.schema)}`,
  );
  if (!ns) await sql.unsafe(`create schema ${quoteIdent(t.schema)}`);
  await sql.unsafe(`
    create table if not exists ${t.migrations} (
      id serial primary key,
      name varchar(255) not null,
      run_on timestamp not null
    );
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

/** SQL that records a migration's checksum; run inside the migration's own transaction. */
export function recordChecksumSql(config: DbcanonConfig, name: string, checksum: string): string {
  return `insert into ${tableNames(config).checksums} (name, checksum) values (${quoteLiteral(name)}, ${quoteLiteral(checksum)})
  on conflict (name) do update set checksum = excluded.checksum, applied_at = now();`;
}

/** SQL that records a migration as run, as node-pg-migrate records it; run with its checksum row. */
export function markRunSql(config: DbcanonConfig, name: string): string {
  return `insert into ${tableNames(config).migrations} (name, run_on) values (${quoteLiteral(name)}, now());`;
}

/** SQL that forgets a reverted migration in node-pg-migrate's table. */
export function unmarkRunSql(config: DbcanonConfig, name: string): string {
  return `delete from ${tableNames(config).migrations} where name = ${quoteLiteral(name)};`;
}

/** SQL that forgets a reverted migration's checksum; run inside the revert's own transaction. */
export function forgetChecksumSql(config: DbcanonConfig, name: string): string {
  return `delete from ${tableNames(config).checksums} where name = ${quoteLiteral(name)};`;
}

export function recordRepeatableSql(config: DbcanonConfig, file: string, checksum: string): string {
  return `insert into ${tableNames(config).repeatables} (file, checksum) values (${quoteLiteral(file)}, ${quoteLiteral(checksum)})
  on conflict (file) do update set checksum = excluded.checksum, applied_at = now();`;
}

/** SQL that forgets every repeatable, so that the next `up` applies each again. */
export function forgetRepeatablesSql(config: DbcanonConfig): string {
  return `delete from ${tableNames(config).repeatables};`;
}
