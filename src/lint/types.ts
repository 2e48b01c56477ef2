import type { CodeScanResult } from '../code/table-reference.js';
import type { DbcanonConfig, Severity } from '../config/schema.js';
import type { DocModel } from '../doc/doc-model.js';
import type { OrderProblem, SkippedMigration } from '../migrate/history.js';
import type { MigrationRunner } from '../migrate/runners/runner.js';
import type { ApiExposure } from '../model/exposure.js';
import type { ModelSource, SchemaModel } from '../model/schema-model.js';

/** A reported problem. The JSON reporter prints these fields as they are (docs/design.md, "Against the brief"). */
export interface Finding {
  rule: string;
  severity: 'error' | 'warning';
  /** What is wrong, why it matters, and the fix. */
  message: string;
  /** Relative to the project root; 1-based line and column. */
  file: string;
  line: number;
  column: number;
  table?: string;
  suggestion?: string;
  /** For drift rules: which two sources disagree, e.g. `doc/migrations` or `doc/database`. */
  source?: string;
  /**
   * The other places of the same cause (every other use of one unknown table, every other file touching one
   * external table): one cause is one finding, reported where it is first seen. SARIF `relatedLocations`.
   */
  related?: RelatedLocation[];
}

export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  /** What this place is, when the finding's message does not say it. */
  message?: string;
}

/** What a rule reports: a Finding without severity (the engine applies the configured one). */
export type Violation = Omit<Finding, 'severity'>;

/** An applied migration as recorded in the database, with its file's checksum now. For `migration-checksum`. */
export interface MigrationRecord {
  name: string;
  file: string | null;
  recordedChecksum: string | null;
  currentChecksum: string | null;
}

/** A transaction-control statement in a migration section (see findTransactionControl). */
export interface MigrationTransactionControl {
  file: string;
  section: 'up' | 'down';
  /** `transaction-statement` (COMMIT, BEGIN, …) or `outside-transaction-only` (VACUUM, … without the marker). */
  kind: 'transaction-statement' | 'outside-transaction-only';
  /** How the statement reads: `COMMIT`, `CREATE INDEX CONCURRENTLY`. */
  statement: string;
  line: number;
  column: number;
  /** A BEGIN whose COMMIT follows, the section's only two transaction statements: reported at the COMMIT. */
  pairedWithCommit?: boolean;
  /** That BEGIN … COMMIT pair is the section's first and last statement: the whole section is wrapped. */
  wrapsSection?: boolean;
  /** The section opts out of the runner's transaction (`-- dbcanon:no-transaction`, goose's, dbmate's, Flyway's). */
  optedOut?: boolean;
  /** The statement is the section's only one (a runner that sends a file as one batch runs it outside a block). */
  alone?: boolean;
}

/** What the migration rules need to know of the project's runner (src/migrate/runners/). */
export type MigrationRunnerFacts = Pick<
  MigrationRunner,
  'id' | 'title' | 'pattern' | 'transaction' | 'optOut'
>;

export interface RuleContext {
  config: DbcanonConfig;
  /** Absolute project root. */
  root: string;
  /** The parsed document, or null when the project has none. */
  doc: DocModel | null;
  /** The document's tables as a SchemaModel (locations point into the document). */
  docSchema: SchemaModel;
  /**
   * The ORM schemas' tables (Prisma models, Drizzle pgTable declarations; locations point into those files): the
   * code rules count them as known. Empty when the project has no ORM schema.
   */
  orm: SchemaModel;
  /** The migrations replayed statically (locations point into migration files). */
  migrations: SchemaModel;
  /** Versioned migration files in the runner's order, for `migration-order`/`migration-syntax`. */
  migrationFiles: { file: string; name: string }[];
  /** The tool that applies the migrations, as config `migrationRunner` names it or `auto` found it. */
  migrationRunner: MigrationRunnerFacts;
  /** What in the history's order goes wrong with that runner (src/migrate/history.ts), for `migration-order`. */
  migrationOrderProblems: OrderProblem[];
  /** Parse problems found while replaying (turned into `migration-syntax` findings). */
  migrationProblems: { file: string; line: number; column: number; message: string }[];
  /**
   * Statements of the versioned migrations' Up and Down sections that take transactions out of the runner's
   * hands (src/migrate/transaction-control.ts), for `migration-transaction-control`.
   */
  migrationTransactionControl: MigrationTransactionControl[];
  /** Files of the migrations dirs that have no place in the runner's order, for `migration-name`. */
  misnamedMigrations: SkippedMigration[];
  /** The live database, with `--db`. */
  database: SchemaModel | null;
  /** Applied migrations (with `--db`), for `migration-checksum`. */
  appliedMigrations: MigrationRecord[] | null;
  /** Code references, when the scanner ran. */
  code: CodeScanResult | null;
  /** Which source a drift rule compares the document with: the migrations, or the live database too. */
  sources: ModelSource[];
  /** Whether the tables are served through PostgREST/Supabase's API (src/model/exposure.ts). */
  api: ApiExposure;
}

export interface RuleMeta {
  id: string;
  /** One line: what the rule checks. */
  summary: string;
  /** Severity in the `recommended` preset; `off` when only `strict` turns it on. */
  defaultSeverity: Severity;
  /** Severity under `strict`, when it differs. */
  strictSeverity?: Severity;
  group: 'doc' | 'drift' | 'migration' | 'code' | 'convention';
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): Violation[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
