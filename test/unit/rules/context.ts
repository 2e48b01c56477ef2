/**
 * Hand-built models for rule tests: each test states the document, migrations and database it needs, nothing
 * more, and runs one rule through the engine (so severities and ids are as the CLI reports them).
 */
import { parseConfig } from '../../../src/config/load.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import type { DocModel, DocTable } from '../../../src/doc/doc-model.js';
import { runRules } from '../../../src/lint/engine.js';
import type { Preset } from '../../../src/lint/presets.js';
import type { Finding, Rule, RuleContext } from '../../../src/lint/types.js';
import { nodePgMigrate } from '../../../src/migrate/runners/node-pg-migrate.js';
import {
  type ColumnModel,
  type ConstraintModel,
  emptySchemaModel,
  type IndexModel,
  type ModelLocation,
  type SchemaModel,
  type TableModel,
} from '../../../src/model/schema-model.js';

export const DOC = 'DATABASE_SCHEMA.md';
export const M1 = 'migrations/20250101000000_init.sql';

export const loc = (file: string, line: number, column = 1): ModelLocation => ({ file, line, column });

export function col(name: string, type = 'text', opts: Partial<ColumnModel> = {}): ColumnModel {
  return {
    name,
    type,
    nullable: true,
    default: null,
    identity: null,
    generated: null,
    comment: null,
    ...opts,
  };
}

export function pk(table: string, ...columns: string[]): ConstraintModel {
  return { name: `${table}_pkey`, kind: 'primary_key', columns, expression: null, references: null };
}

export function check(table: string, column: string, expression: string): ConstraintModel {
  return { name: `${table}_${column}_check`, kind: 'check', columns: [column], expression, references: null };
}

export function fk(table: string, column: string, parent: string, parentColumn = 'id'): ConstraintModel {
  return {
    name: `${table}_${column}_fkey`,
    kind: 'foreign_key',
    columns: [column],
    expression: null,
    references: {
      schema: 'public',
      table: parent,
      columns: [parentColumn],
      onDelete: 'no action',
      onUpdate: 'no action',
    },
  };
}

export function table(name: string, columns: ColumnModel[], opts: Partial<TableModel> = {}): TableModel {
  return {
    schema: 'public',
    name,
    columns,
    constraints: [],
    rlsEnabled: false,
    rlsForced: false,
    comment: null,
    ...opts,
  };
}

export function index(
  name: string,
  tableName: string,
  columns: string[],
  opts: Partial<IndexModel> = {},
): IndexModel {
  return {
    schema: 'public',
    name,
    table: tableName,
    columns,
    unique: false,
    method: 'btree',
    where: null,
    constraintBacked: false,
    ...opts,
  };
}

export function model(parts: Partial<SchemaModel> = {}): SchemaModel {
  return { ...emptySchemaModel(), ...parts };
}

export function docTable(name: string, line: number, opts: Partial<DocTable> = {}): DocTable {
  return {
    name,
    heading: name,
    line,
    section: 'production',
    purpose: 'what it holds',
    usedBy: [{ path: 'src/a.ts', isFile: true, note: null, line: line + 2 }],
    schema: { kind: 'sql', sql: `create table ${name} ();`, line: line + 5 },
    endpoints: [],
    statusValues: [],
    events: [],
    deprecation: null,
    ...opts,
  };
}

export function doc(tables: DocTable[], opts: Partial<DocModel> = {}): DocModel {
  return {
    file: DOC,
    title: 'Schema',
    sections: [
      { key: 'production-tables', heading: 'PRODUCTION TABLES', line: 3 },
      { key: 'change-log', heading: 'CHANGE LOG', line: 90 },
    ],
    tables,
    changelog: [],
    mojibake: [],
    problems: [],
    eol: '\n',
    ...opts,
  };
}

export interface ContextInput extends Partial<Omit<RuleContext, 'config'>> {
  config?: ConfigInput;
}

export function context(input: ContextInput = {}): RuleContext {
  const { config, ...rest } = input;
  const migrations = rest.migrations ?? emptySchemaModel();
  return {
    config: parseConfig(config ?? {}),
    root: '/project',
    doc: null,
    docSchema: emptySchemaModel(),
    orm: emptySchemaModel(),
    migrations,
    migrationFiles: migrations.tables.length > 0 ? [{ file: M1, name: '20250101000000_init' }] : [],
    migrationProblems: [],
    migrationTransactionControl: [],
    database: null,
    appliedMigrations: null,
    code: null,
    sources: ['doc', 'migrations'],
    api: { exposed: true, because: 'a test context' },
    ...rest,
    misnamedMigrations: rest.misnamedMigrations ?? [],
    migrationRunner: rest.migrationRunner ?? nodePgMigrate,
    migrationOrderProblems: rest.migrationOrderProblems ?? [],
  };
}

/** Runs one rule as the engine would (preset severities applied); `strict` switches the preset. */
export function run(rule: Rule, ctx: RuleContext, preset: Preset = 'recommended'): Finding[] {
  return runRules(ctx, [rule], preset);
}

/** The rendered lines a Squawk-style case compares: `file:line rule [source] table`. */
export function brief(findings: Finding[]): string[] {
  return findings.map(
    (f) => `${f.file}:${f.line} ${f.rule}${f.source ? ` [${f.source}]` : ''}${f.table ? ` ${f.table}` : ''}`,
  );
}
