/**
 * The check engine: gathers the sources (document, migrations, code, and with `--db` the live database) into a
 * RuleContext, runs every registered rule, applies the configured severities, the suppression comments and the
 * baseline. It never prints; `dbcanon check` (src/cli/check.ts) reports what it returns.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CodeScanResult } from '../code/table-reference.js';
import type { DbcanonConfig } from '../config/schema.js';
import type { DocModel } from '../doc/doc-model.js';
import { DbcanonError } from '../errors.js';
import { FileTexts } from '../io/file-texts.js';
import type { Timings } from '../io/timings.js';
import { nodePgMigrate } from '../migrate/runners/node-pg-migrate.js';
import { apiExposure } from '../model/exposure.js';
import { emptySchemaModel, type SchemaModel } from '../model/schema-model.js';
import { detectStartingSchema } from '../model/starting-schema.js';
import type { Baseline } from './baseline.js';
import { isBookkeepingTable } from './drift.js';
import { effectiveSeverity, type Preset } from './presets.js';
import { applySuppressions } from './suppression.js';
import type { Finding, MigrationRecord, Rule, RuleContext } from './types.js';

/**
 * Where each source comes from. The defaults (src/lint/producers.ts) read the project; tests pass their own.
 * Producers that read SQL files take the run's FileTexts, so that a file several of them read is read once.
 */
export interface Producers {
  /** The parsed document, or null when the configured document does not exist. */
  readDoc(root: string, config: DbcanonConfig): Promise<DocModel | null>;
  /**
   * The document's SQL blocks and column tables as one SchemaModel, plus blocks that do not parse. The blocks
   * are replayed from the project's starting schema (root and config say which).
   */
  docSchema(
    doc: DocModel,
    root: string,
    config: DbcanonConfig,
  ): Promise<{
    model: SchemaModel;
    problems: { line: number; column: number; message: string; table?: string }[];
  }>;
  replayMigrations(
    root: string,
    config: DbcanonConfig,
    texts?: FileTexts,
  ): Promise<{
    model: SchemaModel;
    files: { file: string; name: string }[];
    /** Every SQL file read, versioned and repeatable, for the summary. */
    filesRead: number;
    problems: RuleContext['migrationProblems'];
    /** Transaction control in the versioned migrations' sections; none when left out. */
    transactionControl?: RuleContext['migrationTransactionControl'];
    /** Files of the migrations dirs the runner refuses by name; none when left out. */
    misnamed?: RuleContext['misnamedMigrations'];
    /** The runner that read the folders; node-pg-migrate's format when left out. */
    runner?: RuleContext['migrationRunner'];
    /** Order problems of the history for that runner; none when left out. */
    orderProblems?: RuleContext['migrationOrderProblems'];
  }>;
  /** Null when no scanner is available in this build. */
  scanCode(root: string, config: DbcanonConfig, texts?: FileTexts): Promise<CodeScanResult | null>;
  /**
   * The ORM schemas (Prisma's `code.prisma`, the Drizzle declarations in `code`) as one SchemaModel: empty when the
   * project has none.
   */
  ormSchema(
    root: string,
    config: DbcanonConfig,
    code: CodeScanResult | null,
    texts?: FileTexts,
  ): Promise<SchemaModel>;
  /** The live schema and the applied migrations. Must not write: read inside one read-only transaction. */
  readDatabase(
    databaseUrl: string,
    root: string,
    config: DbcanonConfig,
    texts?: FileTexts,
  ): Promise<{ model: SchemaModel; applied: MigrationRecord[] }>;
}

export interface CheckOptions {
  /** Absolute project root. */
  root: string;
  config: DbcanonConfig;
  /** With a URL, the live database is a third source (`check --db`). */
  databaseUrl?: string;
  /** A baseline file (relative to root) or a loaded baseline; overrides `config.baseline`. */
  baseline?: string | Baseline | null;
  /** Overrides `config.preset`. */
  preset?: Preset;
  /** Defaults to the project's real producers. */
  producers?: Producers;
  /** Defaults to the registry. */
  rules?: readonly Rule[];
  /** Records where the time goes, phase by phase (`check --timings`). */
  timings?: Timings;
}

export interface CheckSummary {
  errors: number;
  warnings: number;
  tables: number;
  files: number;
}

/** What the check read, source by source, and what it looked for and did not find. */
export interface ReadSummary {
  /** The document's path; null when it does not exist (`docPath` is where it was looked for). */
  doc: string | null;
  docPath: string;
  /** Each configured migrations folder: whether it exists, and how many migrations of the history it holds. */
  migrations: { folder: string; found: boolean; count: number }[];
  /** Repeatable SQL files replayed after the migrations. */
  repeatables: number;
  /** Code files the `code.include` globs matched (SQL and Prisma files apart), and the globs. */
  codeFiles: number;
  codeInclude: string[];
}

export interface CheckResult {
  findings: Finding[];
  summary: CheckSummary;
  /** What was read (absent from results built by hand, as in tests of the reporters). */
  read?: ReadSummary;
  /** Findings the baseline accounted for (not in `findings`). */
  baselined: number;
  /** Findings dropped by suppression comments. */
  suppressed: number;
}

export interface CheckContext {
  ctx: RuleContext;
  /** Files read to build the context. */
  files: number;
  read: ReadSummary;
  /** The texts the run read, for what comes after the rules (suppression comments). */
  texts: FileTexts;
}

/** Whether a path is `folder` or inside it (both root-relative, `/`-separated). */
const inFolder = (file: string, folder: string) => {
  const f = folder.replace(/^\.\//, '').replace(/\/+$/, '');
  return f === '' || f === '.' || file === f || file.startsWith(`${f}/`);
};

export async function buildContext(
  options: Pick<CheckOptions, 'root' | 'config' | 'databaseUrl' | 'timings'>,
  producers: Producers,
): Promise<CheckContext> {
  const { root, config, databaseUrl } = options;
  // The database is read first and beside the rest: its catalog queries are the server's work, done while this
  // process reads the files.
  const texts = new FileTexts();
  const live = databaseUrl ? producers.readDatabase(databaseUrl, root, config, texts) : null;
  // Settled at once if the file sources fail first: its rejection must not go unhandled.
  live?.catch(() => undefined);
  const t = options.timings;
  const timed = <T>(name: string, work: Promise<T>) => (t ? t.time(name, work) : work);
  const [rawDoc, replay, code] = await Promise.all([
    timed('document: read and parse', producers.readDoc(root, config)),
    timed('migrations: list, parse and replay', producers.replayMigrations(root, config, texts)),
    timed('code: scan', producers.scanCode(root, config, texts)),
  ]);
  // The Drizzle declarations are found by the code scan; the ORM model is built once it is done.
  const orm = timed('ORM schemas', producers.ormSchema(root, config, code, texts));
  orm.catch(() => undefined);
  let doc = rawDoc;
  let docSchema = emptySchemaModel();
  if (rawDoc) {
    const converted = await timed('document: its SQL replayed', producers.docSchema(rawDoc, root, config));
    docSchema = converted.model;
    // A block that does not parse is the document's syntax problem, reported at the document's line.
    doc = {
      ...rawDoc,
      problems: [
        ...rawDoc.problems,
        ...converted.problems.map((p) => ({ rule: 'doc-syntax' as const, ...p })),
      ],
    };
  }
  let database: SchemaModel | null = null;
  let appliedMigrations: MigrationRecord[] | null = null;
  if (live) {
    const read = await timed('database: waiting for the catalog', live);
    database = read.model;
    appliedMigrations = read.applied;
  }
  const ctx: RuleContext = {
    config,
    root,
    doc,
    docSchema,
    orm: await orm,
    migrations: replay.model,
    migrationFiles: replay.files,
    migrationRunner: replay.runner ?? nodePgMigrate,
    migrationOrderProblems: replay.orderProblems ?? [],
    migrationProblems: replay.problems,
    migrationTransactionControl: replay.transactionControl ?? [],
    misnamedMigrations: replay.misnamed ?? [],
    database,
    appliedMigrations,
    code,
    sources: ['doc', 'migrations', ...(databaseUrl ? (['database'] as const) : [])],
    api: apiExposure(config.api, detectStartingSchema(root, config).choice, [replay.model, docSchema]),
  };
  const read: ReadSummary = {
    doc: doc ? config.doc : null,
    docPath: config.doc,
    migrations: config.migrations.map((folder) => ({
      folder,
      found: existsSync(path.resolve(root, folder)),
      count: replay.files.filter((f) => inFolder(f.file, folder)).length,
    })),
    repeatables: Math.max(0, replay.filesRead - replay.files.length),
    codeFiles: (code?.files ?? []).filter((f) => !/\.(sql|prisma)$/.test(f)).length,
    codeInclude: config.code.include,
  };
  return { ctx, files: (doc ? 1 : 0) + replay.filesRead + (code?.filesScanned ?? 0), read, texts };
}

// Code-point order, not locale order: the output must be the same on every machine.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const compareFindings = (a: Finding, b: Finding) =>
  cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule);

/** Runs the rules that are not off and gives each violation the rule's effective severity. Sorted by place. */
export function runRules(
  ctx: RuleContext,
  rules: readonly Rule[],
  preset: Preset,
  timings?: Timings,
): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const severity = effectiveSeverity(rule, preset, ctx.config.rules);
    if (severity === null) continue;
    let violations: ReturnType<Rule['check']>;
    try {
      violations = timings ? timings.timeSync(`rule ${rule.id}`, () => rule.check(ctx)) : rule.check(ctx);
    } catch (e) {
      throw new DbcanonError('INPUT_INVALID', `rule ${rule.id} failed: ${(e as Error).message}`, {
        hint: 'this is a dbcanon bug; turn the rule off in dbcanon.config.json ("rules") until it is fixed',
        cause: e,
      });
    }
    for (const v of violations) findings.push({ ...v, severity, rule: rule.id });
  }
  return findings.sort(compareFindings);
}

/**
 * A rule id in the config that no rule has is a typo (or a rule that was renamed): silently ignoring it would
 * leave the rule the user meant to turn off, on. Config error, with the ids that exist.
 */
export function rejectUnknownRuleIds(config: DbcanonConfig, rules: readonly Rule[]): void {
  const ids = new Set(rules.map((r) => r.id));
  const unknown = Object.keys(config.rules).filter((id) => !ids.has(id));
  if (unknown.length === 0) return;
  throw new DbcanonError(
    'CONFIG_INVALID',
    `unknown rule id${unknown.length === 1 ? '' : 's'} in "rules": ${unknown.join(', ')}`,
    {
      hint: `rule ids are: ${[...ids].sort().join(', ')}`,
    },
  );
}

/** Tables the check looked at: every table of the document, the migrations, the ORM and the database, once. */
function countTables(ctx: RuleContext): number {
  const keys = new Set<string>();
  for (const t of ctx.doc?.tables ?? []) keys.add(t.name.includes('.') ? t.name : `public.${t.name}`);
  for (const m of [ctx.docSchema, ctx.migrations, ctx.orm, ctx.database]) {
    for (const t of m?.tables ?? []) if (!isBookkeepingTable(ctx, t)) keys.add(`${t.schema}.${t.name}`);
  }
  return keys.size;
}

export function summarize(findings: Finding[], tables: number, files: number): CheckSummary {
  let errors = 0;
  for (const f of findings) if (f.severity === 'error') errors++;
  return { errors, warnings: findings.length - errors, tables, files };
}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const producers = options.producers ?? (await import('./producers.js')).defaultProducers;
  // The rule modules load while the sources are read.
  const loadingRules = options.rules
    ? Promise.resolve(options.rules)
    : import('./registry.js').then((m) => m.rules);
  loadingRules.catch(() => undefined);
  const preset = options.preset ?? options.config.preset;
  const { ctx, files, read, texts } = await buildContext(options, producers);
  const rules = await loadingRules;
  // Against the whole registry only: a caller running a few rules still has a config written for all of them.
  if (!options.rules) rejectUnknownRuleIds(options.config, rules);

  const all = runRules(ctx, rules, preset, options.timings);
  const unsuppressed = await (options.timings
    ? options.timings.time('suppression comments', applySuppressions(options.root, all, texts))
    : applySuppressions(options.root, all, texts));

  const baselineOption = options.baseline === undefined ? options.config.baseline : options.baseline;
  let findings = unsuppressed;
  if (baselineOption) {
    // Loaded only with a baseline: it validates the file with zod, which is slow to import.
    const { filterByBaseline, readBaseline } = await import('./baseline.js');
    const baseline =
      typeof baselineOption === 'string' ? await readBaseline(baselineOption, options.root) : baselineOption;
    findings = filterByBaseline(unsuppressed, baseline);
  }
  return {
    findings,
    summary: summarize(findings, countTables(ctx), files),
    read,
    baselined: unsuppressed.length - findings.length,
    suppressed: all.length - unsuppressed.length,
  };
}
