/**
 * Drizzle declarations (found in the code by src/code/extract.ts) → SchemaModel: the tables, columns, keys, views
 * and enums drizzle-kit would create. A column is named by its builder (`text('title')`), else by its property
 * key, snake_cased when the project sets Drizzle's `casing: 'snake_case'`. Types are the builders' PostgreSQL
 * types in the model's spelling (`varchar('v', { length: 20 })` → `character varying(20)`); a builder this file
 * does not know (a `customType`) keeps its own name as the type.
 */
import { snakeCase } from '../code/naming.js';
import type { DrizzleColumn, DrizzleDefinition } from '../code/table-reference.js';
import {
  type ColumnModel,
  type ConstraintModel,
  canonicalize,
  emptySchemaModel,
  type ModelLocation,
  type SchemaModel,
} from '../model/schema-model.js';
import { formatType, normalizeType, serialDefault } from '../model/types.js';

type Options = DrizzleColumn['options'];
const num = (o: Options, k: string): number | undefined =>
  typeof o[k] === 'number' ? (o[k] as number) : undefined;
const mods = (...xs: (number | undefined)[]) => {
  const given = xs.filter((x): x is number => x !== undefined);
  return given.length ? `(${given.join(',')})` : '';
};
const zone = (o: Options) => (o.withTimezone === true ? 'with time zone' : 'without time zone');

/** Builder → SQL type text (normalized after). */
const BUILDERS: Record<string, (o: Options) => string> = {
  text: () => 'text',
  varchar: (o) => `varchar${mods(num(o, 'length'))}`,
  char: (o) => `char${mods(num(o, 'length'))}`,
  uuid: () => 'uuid',
  integer: () => 'integer',
  int: () => 'integer',
  smallint: () => 'smallint',
  bigint: () => 'bigint',
  serial: () => 'integer',
  smallserial: () => 'smallint',
  bigserial: () => 'bigint',
  boolean: () => 'boolean',
  timestamp: (o) => `timestamp${mods(num(o, 'precision'))} ${zone(o)}`,
  time: (o) => `time${mods(num(o, 'precision'))} ${zone(o)}`,
  date: () => 'date',
  interval: () => 'interval',
  json: () => 'json',
  jsonb: () => 'jsonb',
  numeric: (o) => `numeric${mods(num(o, 'precision'), num(o, 'scale'))}`,
  decimal: (o) => `numeric${mods(num(o, 'precision'), num(o, 'scale'))}`,
  real: () => 'real',
  doublePrecision: () => 'double precision',
  inet: () => 'inet',
  cidr: () => 'cidr',
  macaddr: () => 'macaddr',
  macaddr8: () => 'macaddr8',
  point: () => 'point',
  line: () => 'line',
  bytea: () => 'bytea',
  vector: (o) => `vector${mods(num(o, 'dimensions'))}`,
};

const SERIALS = new Set(['serial', 'smallserial', 'bigserial']);

const at = (d: { file: string; line: number; column: number }): ModelLocation => ({
  file: d.file,
  line: d.line,
  column: d.column,
});

export interface DrizzleModelOptions {
  /** Drizzle's `casing: 'snake_case'`: a column without a name of its own is its key in snake_case. */
  snakeCaseColumns?: boolean;
}

export function drizzleToSchemaModel(
  defs: readonly DrizzleDefinition[],
  options: DrizzleModelOptions = {},
): SchemaModel {
  const model = emptySchemaModel();
  const columnName = (c: DrizzleColumn) => c.name ?? (options.snakeCaseColumns ? snakeCase(c.key) : c.key);
  const enums = defs.filter((d) => d.kind === 'enum');
  const tables = defs.filter((d) => d.kind === 'table');
  const typeOf = (c: DrizzleColumn): string => {
    let base: string;
    if (c.isEnum) {
      const e = enums.find((x) => x.name === c.builder);
      base = formatType({ schema: e?.schema ?? null, name: c.builder, modifiers: [], array: false });
    } else {
      const known = BUILDERS[c.builder];
      base = known ? normalizeType(known(c.options)) : c.builder;
    }
    return c.arrays > 0 ? `${base}[]` : base;
  };
  const seen = new Set<string>();
  for (const d of tables) {
    const schema = d.schema ?? 'public';
    // The same table declared twice (a copy in a test helper, say) is one table: the first declaration holds.
    if (seen.has(`${schema}.${d.name}`)) continue;
    seen.add(`${schema}.${d.name}`);
    const columns: ColumnModel[] = [];
    const constraints: ConstraintModel[] = [];
    for (const c of d.columns) {
      const name = columnName(c);
      const serial = SERIALS.has(c.builder);
      const loc: ModelLocation = { file: d.file, line: c.line, column: c.column };
      columns.push({
        name,
        type: typeOf(c),
        nullable: !(c.notNull || c.primaryKey || serial),
        default: serial ? serialDefault(schema, d.name, name) : c.default,
        identity: null,
        generated: null,
        comment: null,
        loc,
      });
      if (c.primaryKey) {
        constraints.push({
          name: `${d.name}_pkey`,
          kind: 'primary_key',
          columns: [name],
          expression: null,
          references: null,
          loc,
        });
      }
      if (c.unique) {
        constraints.push({
          name: `${d.name}_${name}_unique`,
          kind: 'unique',
          columns: [name],
          expression: null,
          references: null,
          loc,
        });
      }
      const ref = c.references;
      if (ref) {
        const target = tables.find((t) => t.name === ref.table && (t.schema ?? null) === ref.schema);
        const targetColumn = target?.columns.find((x) => x.key === ref.key);
        const refName = targetColumn ? columnName(targetColumn) : ref.key;
        constraints.push({
          name: `${d.name}_${name}_${ref.table}_${refName}_fk`,
          kind: 'foreign_key',
          columns: [name],
          expression: null,
          references: {
            schema: ref.schema ?? 'public',
            table: ref.table,
            columns: [refName],
            onDelete: 'no action',
            onUpdate: 'no action',
          },
          loc,
        });
      }
    }
    model.tables.push({
      schema,
      name: d.name,
      columns,
      constraints,
      rlsEnabled: false,
      rlsForced: false,
      comment: null,
      loc: at(d),
    });
  }
  const views = defs
    .filter((d) => d.kind === 'view' || d.kind === 'materialized-view')
    .map((d) => ({
      schema: d.schema ?? 'public',
      name: d.name,
      materialized: d.kind === 'materialized-view',
      securityInvoker: false,
      selectableBy: [],
      loc: at(d),
    }));
  return canonicalize({
    ...model,
    views,
    enums: enums.map((e) => ({ schema: e.schema ?? 'public', name: e.name, values: e.values, loc: at(e) })),
  });
}
