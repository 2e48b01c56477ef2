/**
 * The default config as a plain object, and a loader that only brings in zod when there is a file to
 * validate. zod takes ~100 ms to import, a third of the cold-start budget of `dbcanon migrate status`; a project
 * without dbcanon.config.json (this repository, most small projects) should not pay it.
 * test/unit/config-defaults.test.ts holds DEFAULT_CONFIG equal to what the zod schema produces for `{}`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findProject } from './find.js';
import type { LoadedConfig } from './load.js';
import type { DbcanonConfig } from './schema.js';

export const DEFAULT_CONFIG: DbcanonConfig = {
  doc: 'DATABASE_SCHEMA.md',
  migrations: ['migrations'],
  migrationRunner: 'auto',
  repeatables: ['schema', 'policies'],
  code: {
    include: ['src/**/*.ts', 'src/**/*.tsx'],
    exclude: ['**/node_modules/**', '**/*.d.ts'],
    sqlTags: ['sql'],
    prisma: ['prisma'],
    naming: 'auto',
  },
  preset: 'recommended',
  rules: { 'code-used-by-unlisted': 'warn' },
  baseline: null,
  externalTables: [],
  migrationsTable: 'pgmigrations',
  migrationsSchema: 'public',
  apiSchemas: ['public', 'graphql_public'],
  api: 'auto',
};

/** A fresh copy, so that a caller changing its config cannot change the defaults of the next. */
export function defaultConfig(): DbcanonConfig {
  return structuredClone(DEFAULT_CONFIG);
}

/**
 * A Supabase CLI project keeps its migrations in supabase/migrations: when the config does not name the
 * migrations folders and the project has no migrations/ but has that one, it is the default.
 */
export function withDetectedMigrations(config: DbcanonConfig, root: string, named: boolean): DbcanonConfig {
  if (named || existsSync(path.join(root, 'migrations'))) return config;
  if (!existsSync(path.join(root, 'supabase', 'migrations'))) return config;
  return { ...config, migrations: ['supabase/migrations'] };
}

/** As `loadConfig`, but without importing zod when no config file exists and none was asked for. */
export async function loadConfigLazily(cwd: string, configPath?: string): Promise<LoadedConfig> {
  if (configPath === undefined) {
    const found = findProject(cwd);
    if (!found.file) {
      return {
        config: withDetectedMigrations(defaultConfig(), found.root, false),
        root: found.root,
        file: null,
      };
    }
  }
  const { loadConfig } = await import('./load.js');
  return loadConfig(cwd, configPath);
}
