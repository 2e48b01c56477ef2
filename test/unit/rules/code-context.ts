/** A RuleContext for the code rules, built from a few documented tables, migrated tables and references. */
import type {
  CodeScanResult,
  NamingSignal,
  SqlDefinition,
  TableReference,
} from '../../../src/code/table-reference.js';
import { parseConfig } from '../../../src/config/load.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import type { DocModel, DocTable } from '../../../src/doc/doc-model.js';
import type { RuleContext } from '../../../src/lint/types.js';
import { nodePgMigrate } from '../../../src/migrate/runners/node-pg-migrate.js';
import { emptySchemaModel, type SchemaModel, type TableModel } from '../../../src/model/schema-model.js';

export function docTable(
  name: string,
  line: number,
  extra: {
    section?: DocTable['section'];
    usedBy?: [string, number][];
    replacement?: string | null;
    reason?: string;
  } = {},
): DocTable {
  const deprecated = extra.section === 'deprecated' || extra.replacement !== undefined;
  return {
    name,
    heading: name,
    line,
    section: extra.section ?? (deprecated ? 'deprecated' : 'production'),
    purpose: null,
    usedBy: (extra.usedBy ?? []).map(([path, l]) => ({
      path,
      isFile: /[/.]/.test(path),
      note: null,
      line: l,
    })),
    schema: null,
    endpoints: [],
    statusValues: [],
    events: [],
    deprecation: deprecated
      ? { reason: extra.reason ?? null, replacement: extra.replacement ?? null, line: line + 1 }
      : null,
  };
}

export function table(name: string, schema = 'public'): TableModel {
  return { schema, name, columns: [], constraints: [], rlsEnabled: false, rlsForced: false, comment: null };
}

export function ref(
  name: string,
  file: string,
  line: number,
  kind: TableReference['kind'] = 'read',
  extra: Partial<TableReference> = {},
): TableReference {
  return { name, schema: null, target: 'table', kind, via: 'supabase-from', file, line, column: 5, ...extra };
}

export function codeContext(input: {
  doc?: DocTable[] | null;
  migrations?: string[];
  functions?: string[];
  references?: TableReference[];
  files?: string[];
  definitions?: SqlDefinition[];
  root?: string;
  code?: boolean;
  /** Tables an ORM schema (Prisma, Drizzle) declares. */
  orm?: SchemaModel;
  /** Query builders' naming transforms the code turns on. */
  naming?: NamingSignal[];
  config?: ConfigInput;
}): RuleContext {
  const doc: DocModel | null =
    input.doc === null
      ? null
      : {
          file: 'DATABASE_SCHEMA.md',
          title: null,
          sections: [],
          tables: input.doc ?? [],
          changelog: [],
          mojibake: [],
          problems: [],
          eol: '\n',
        };
  const migrations: SchemaModel = emptySchemaModel();
  migrations.tables = (input.migrations ?? []).map((n) => table(n));
  migrations.functions = (input.functions ?? []).map((name) => ({
    schema: 'public',
    name,
    identityArgs: '',
    returns: 'text',
    language: 'plpgsql',
    securityDefiner: false,
    searchPath: null,
  }));
  const references = input.references ?? [];
  const code: CodeScanResult = {
    references,
    unresolved: [],
    filesScanned: 0,
    filesMatched: 0,
    files: input.files ?? [...new Set(references.map((r) => r.file))],
    definitions: input.definitions ?? [],
    ...(input.naming ? { naming: input.naming } : {}),
  };
  return {
    config: parseConfig(input.config ?? {}),
    root: input.root ?? '/nonexistent',
    doc,
    docSchema: emptySchemaModel(),
    orm: input.orm ?? emptySchemaModel(),
    migrations,
    migrationFiles: (input.migrations ?? []).length
      ? [{ file: 'migrations/1_init.sql', name: '1_init' }]
      : [],
    migrationProblems: [],
    migrationTransactionControl: [],
    misnamedMigrations: [],
    migrationRunner: nodePgMigrate,
    migrationOrderProblems: [],
    database: null,
    appliedMigrations: null,
    code: input.code === false ? null : code,
    sources: ['doc', 'migrations'],
    api: { exposed: true, because: 'a test context' },
  };
}
