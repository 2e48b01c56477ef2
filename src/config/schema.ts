import { z } from 'zod';

/**
 * The tools whose migration folders dbcanon reads as they do (src/migrate/runners/): which files are migrations,
 * their order, their Up part and their transactions. Kept here, below every subsystem, because the config names them.
 */
export const MIGRATION_RUNNERS = [
  'supabase',
  'node-pg-migrate',
  'prisma',
  'drizzle',
  'golang-migrate',
  'dbmate',
  'goose',
  'flyway',
] as const;
export type MigrationRunnerId = (typeof MIGRATION_RUNNERS)[number];

/** Severity a user may give a rule in `rules`. */
export const severitySchema = z.enum(['error', 'warn', 'off']);
export type Severity = z.infer<typeof severitySchema>;

const codeSchema = z.strictObject({
  include: z.array(z.string()).default(['src/**/*.ts', 'src/**/*.tsx']),
  exclude: z.array(z.string()).default(['**/node_modules/**', '**/*.d.ts']),
  sqlTags: z.array(z.string()).default(['sql']),
  /** Prisma schema files, folders of them (a multi-file schema) or globs. */
  prisma: z.array(z.string()).default(['prisma']),
  /**
   * Whether the query builders rename names between code and database: `auto` (when the code turns on Kysely's
   * CamelCasePlugin, Knex's knexSnakeCaseMappers or Drizzle's `casing: 'snake_case'`), `as-is`, or `snake_case`.
   */
  naming: z.enum(['auto', 'as-is', 'snake_case']).default('auto'),
});

/**
 * dbcanon.config.json. Every key is optional; the defaults fit this repository's own layout, so it needs no
 * config file. Unknown keys are errors (strict objects), reported with their key path.
 */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  doc: z.string().default('DATABASE_SCHEMA.md'),
  migrations: z.array(z.string()).default(['migrations']),
  /**
   * The tool that applies the `migrations` folders, whose reading of them `check` and `migrate` follow (file
   * names, order, Up part, transactions): one of MIGRATION_RUNNERS, or `auto` (detected from the folders' layout).
   */
  migrationRunner: z.enum(['auto', ...MIGRATION_RUNNERS]).default('auto'),
  repeatables: z.array(z.string()).default(['schema', 'policies']),
  code: codeSchema.default(codeSchema.parse({})),
  preset: z.enum(['recommended', 'strict']).default('recommended'),
  rules: z.record(z.string(), severitySchema).default({ 'code-used-by-unlisted': 'warn' }),
  baseline: z.string().nullable().default(null),
  /**
   * What the database holds before the first migration, which the replay starts from: `supabase` (auth, storage,
   * their functions and roles), `postgres` (nothing) or a .sql file relative to the config's folder. Unset: a
   * project with a supabase/ folder starts from `supabase`, any other from `postgres`.
   */
  startingSchema: z
    .union([
      z.enum(['supabase', 'postgres']),
      z.string().regex(/\.sql$/i, 'expected "supabase", "postgres" or the path of a .sql file'),
    ])
    .optional(),
  /**
   * Tables known to live outside the migrations (made in a dashboard, by another repository, before the first
   * migration): `name` (in public), `schema.name`, or `schema.*`. Migrations may alter and reference them and
   * code may use them without a finding; `migration-external-table` reports the ones not listed here.
   */
  externalTables: z
    .array(z.string().regex(/^[^.\s]+(\.[^.\s]+)?$/, 'expected "table", "schema.table" or "schema.*"'))
    .default([]),
  /** Name of the table node-pg-migrate records versioned migrations in. */
  migrationsTable: z.string().default('pgmigrations'),
  /** Schema that holds dbcanon's own bookkeeping tables (checksums, repeatables). */
  migrationsSchema: z.string().default('public'),
  /**
   * Schemas the API (PostgREST / Supabase's Data API) exposes to the `anon` and `authenticated` roles: what the
   * exposure rules (`security-definer-view`, `function-exposed`) judge. Supabase's default `db-schemas`.
   */
  apiSchemas: z.array(z.string()).default(['public', 'graphql_public']),
  /**
   * Whether clients reach the tables through an API that switches to `anon`/`authenticated` (PostgREST, Supabase's
   * Data API): `postgrest`, `none` (the application connects as the tables' owner), or `auto` (exposed when the
   * project starts from Supabase's schema or a policy names an API role). Rules whose premise is that exposure,
   * like `rls-enabled`, hold only where it is true.
   */
  api: z.enum(['auto', 'postgrest', 'none']).default('auto'),
});

export type DbcanonConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
