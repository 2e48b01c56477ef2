/**
 * dbcanon's programmatic API: what the CLI does, callable from a script or another tool.
 *
 *   import { check, formatText } from 'dbcanon';
 *   const result = await check({ cwd: process.cwd() });
 *   process.stdout.write(formatText(result, { color: false }));
 *
 * Paths are resolved the way the CLI resolves them: the config is found from `cwd` upward to the repository
 * root (or named by `config`), and the project root is the folder that holds it.
 */
import { loadConfigLazily } from './config/defaults.js';
import type { DbcanonConfig } from './config/schema.js';
import type { CheckResult } from './lint/engine.js';
import type { Preset } from './lint/presets.js';
import type {
  MigrationStatus,
  MigrateOptions as RunnerOptions,
  migrateDown as runnerDown,
  migrateUp as runnerUp,
} from './migrate/index.js';

export type { DbcanonConfig } from './config/schema.js';
export type { CheckResult, CheckSummary } from './lint/engine.js';
export type { Finding, RelatedLocation } from './lint/types.js';
export type { MigrationStatus } from './migrate/index.js';
export { formatGithub } from './report/github.js';
export { formatGitlab } from './report/gitlab.js';
export { formatJson } from './report/json.js';
export { formatSarif, type SarifOptions } from './report/sarif.js';
export { formatText, type TextOptions } from './report/text.js';

export interface ProjectOptions {
  /** Where to look for the config (default: the process's working directory). */
  cwd?: string;
  /** A config file, relative to `cwd`; else `dbcanon.config.json` is looked for upward from `cwd`. */
  config?: string;
}

export interface CheckApiOptions extends ProjectOptions {
  /** Also hold a live database to the migrations (read-only), as `check --db URL`. */
  databaseUrl?: string;
  /** `recommended` (default: the config's) or `strict`. */
  preset?: Preset;
  /** A baseline file (relative to the project root) whose findings are not reported; null for none. */
  baseline?: string | null;
}

async function project(options: ProjectOptions): Promise<{ root: string; config: DbcanonConfig }> {
  return loadConfigLazily(options.cwd ?? process.cwd(), options.config);
}

/** `dbcanon check`: every finding, with the summary; the caller decides what fails. */
export async function check(options: CheckApiOptions = {}): Promise<CheckResult> {
  const { root, config } = await project(options);
  const { runCheck } = await import('./lint/engine.js');
  return runCheck({
    root,
    config,
    ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
    ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
  });
}

export type MigrateApiOptions = ProjectOptions & Omit<RunnerOptions, 'root' | 'config'>;

/** `dbcanon migrate up`: applies pending migrations, then changed repeatables. */
export async function migrateUp(options: MigrateApiOptions): Promise<Awaited<ReturnType<typeof runnerUp>>> {
  const { root, config } = await project(options);
  return (await import('./migrate/index.js')).migrateUp({ ...options, root, config });
}

/** `dbcanon migrate down`: reverts the most recent migrations (`count`, default 1). */
export async function migrateDown(
  options: MigrateApiOptions,
): Promise<Awaited<ReturnType<typeof runnerDown>>> {
  const { root, config } = await project(options);
  return (await import('./migrate/index.js')).migrateDown({ ...options, root, config });
}

/** `dbcanon migrate status`: applied, pending, changed and missing migrations. Takes no lock. */
export async function migrationStatus(
  options: ProjectOptions & { databaseUrl: string },
): Promise<MigrationStatus> {
  const { root, config } = await project(options);
  return (await import('./migrate/index.js')).migrationStatus({
    databaseUrl: options.databaseUrl,
    root,
    config,
  });
}
