/**
 * Prisma schema → SchemaModel: the tables, columns, keys, indexes and enums `prisma migrate` would create on
 * PostgreSQL, in the model's canonical spellings (schema-model.ts), with locations in the .prisma files.
 *
 * - a `model` is a table named by `@@map("…")`, else by the model name as written (Prisma quotes it, so case is
 *   kept); `@@schema("…")` (multiSchema) gives its schema, else `public`; a `view` is a view the same way;
 * - scalar fields are columns (`@map("…")` names them): String→text, Int→integer, BigInt→bigint, Float→double
 *   precision, Decimal→numeric(65,30), Boolean→boolean, DateTime→timestamp(3) without time zone, Json→jsonb,
 *   Bytes→bytea, an enum → the enum type; a `@db.X` attribute names the native type instead; `?` and lists are
 *   nullable; relation fields (typed with another model) are not columns but give the foreign key;
 * - `@id`/`@@id` give the primary key, `@unique`/`@@unique` and `@@index` the indexes Prisma names by default.
 *
 * Those defaults are what Prisma Migrate writes for PostgreSQL (`"price" DECIMAL(65,30)`, `TIMESTAMP(3)`).
 */

import {
  type ColumnModel,
  type ConstraintModel,
  canonicalize,
  type EnumModel,
  emptySchemaModel,
  type IndexModel,
  type ModelLocation,
  type SchemaModel,
  type TableModel,
  type ViewModel,
} from '../model/schema-model.js';
import { formatType, normalizeType, serialDefault } from '../model/types.js';
import {
  attr,
  namedArg,
  type PrismaAttribute,
  type PrismaBlock,
  type PrismaField,
  type PrismaSchemaFile,
  type PrismaValue,
  stringArg,
} from './prisma-schema.js';

const SCALARS: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** `@db.X(args)` → the type's SQL text (normalized after), for the PostgreSQL connector's native types. */
const NATIVE: Record<string, (a: string[]) => string> = {
  Text: () => 'text',
  VarChar: (a) => (a.length ? `varchar(${a[0]})` : 'varchar'),
  Char: (a) => `char(${a[0] ?? 1})`,
  Uuid: () => 'uuid',
  Xml: () => 'xml',
  Inet: () => 'inet',
  Citext: () => 'citext',
  Bit: (a) => `bit(${a[0] ?? 1})`,
  VarBit: (a) => (a.length ? `varbit(${a[0]})` : 'varbit'),
  Boolean: () => 'boolean',
  SmallInt: () => 'smallint',
  Integer: () => 'integer',
  Int: () => 'integer',
  BigInt: () => 'bigint',
  Oid: () => 'oid',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  Decimal: (a) => (a.length ? `numeric(${a.join(',')})` : 'numeric'),
  Money: () => 'money',
  Timestamp: (a) => `timestamp(${a[0] ?? 6}) without time zone`,
  Timestamptz: (a) => `timestamp(${a[0] ?? 6}) with time zone`,
  Date: () => 'date',
  Time: (a) => `time(${a[0] ?? 6}) without time zone`,
  Timetz: (a) => `time(${a[0] ?? 6}) with time zone`,
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
};

/** Providers whose schema is a PostgreSQL database's. A schema for MySQL or MongoDB says nothing of it. */
const POSTGRES_PROVIDERS = new Set(['postgresql', 'postgres', 'cockroachdb']);

/** Options a caller may pass: how to put a `dbgenerated("…")` default into canonical form. */
export interface PrismaModelOptions {
  normalizeExpr?: (expr: string) => string | null;
}

const loc = (b: { file: string; line: number; column: number }): ModelLocation => ({
  file: b.file,
  line: b.line,
  column: b.column,
});

/** `map: "…"` of `@id`, `@unique`, `@relation`, `@@index`: the database name Prisma would otherwise make up. */
function mapArg(a: PrismaAttribute | undefined): string | null {
  const v = namedArg(a, 'map');
  return v?.t === 'string' ? v.s : null;
}

const mapped = (attributes: PrismaAttribute[], fallback: string) =>
  stringArg(attr(attributes, 'map'), 'name') ?? fallback;

/** Names of the fields in a `[a, b(sort: Desc)]` list. */
function fieldList(v: PrismaValue | null | undefined): string[] {
  if (!v) return [];
  const items = v.t === 'list' ? v.items : [v];
  return items.flatMap((i) => (i.t === 'ident' ? [i.s] : i.t === 'call' ? [i.name] : []));
}

function nativeType(a: PrismaAttribute): string {
  const name = a.name.slice(a.name.indexOf('.') + 1);
  const args = a.args.flatMap((x) => (x.value.t === 'number' ? [x.value.s] : []));
  const known = NATIVE[name];
  return normalizeType(
    known ? known(args) : `${name.toLowerCase()}${args.length ? `(${args.join(',')})` : ''}`,
  );
}

/** Single-quoted SQL literal. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * A field's `@default` as the canonical default text, or null when the default is the client's (`uuid()`,
 * `cuid()`, `nanoid()`) or none. `autoincrement()` is handled by the caller (it is a sequence).
 */
function defaultText(v: PrismaValue, options: PrismaModelOptions): string | null {
  switch (v.t) {
    case 'string':
      return literal(v.s);
    case 'number':
      return v.s;
    case 'ident':
      // true/false, or an enum value.
      return v.s === 'true' || v.s === 'false' ? v.s : literal(v.s);
    case 'call': {
      if (v.name === 'now') return 'CURRENT_TIMESTAMP';
      const arg = v.args[0]?.value;
      if (v.name === 'dbgenerated' && arg?.t === 'string') {
        return options.normalizeExpr ? options.normalizeExpr(arg.s) : arg.s.trim();
      }
      return null;
    }
    case 'list':
      return null;
  }
}

interface Context {
  models: Map<string, PrismaBlock>;
  enums: Map<string, PrismaBlock>;
  options: PrismaModelOptions;
}

const schemaOf = (b: PrismaBlock) => stringArg(attr(b.attributes, 'schema')) ?? 'public';
const tableName = (b: PrismaBlock) => stringArg(attr(b.attributes, 'map'), 'name') ?? b.name;

/** The column a field of `model` is stored in. */
function columnName(model: PrismaBlock, field: string): string {
  const f = model.fields.find((x) => x.name === field);
  return f ? mapped(f.attributes, f.name) : field;
}

function columnType(f: PrismaField, ctx: Context): string {
  const native = f.attributes.find((a) => a.name.startsWith('db.'));
  let base: string;
  if (native) base = nativeType(native);
  else if (f.unsupported !== null) base = normalizeType(f.unsupported);
  else if (SCALARS[f.type]) base = SCALARS[f.type] as string;
  else {
    const e = ctx.enums.get(f.type);
    const schema = e ? schemaOf(e) : null;
    base = formatType({ schema, name: e ? tableName(e) : f.type, modifiers: [], array: false });
  }
  return f.list ? `${base}[]` : base;
}

function tableOf(model: PrismaBlock, ctx: Context): { table: TableModel; indexes: IndexModel[] } {
  const name = tableName(model);
  const schema = schemaOf(model);
  const columns: ColumnModel[] = [];
  const constraints: ConstraintModel[] = [];
  const indexes: IndexModel[] = [];
  const index = (cols: string[], unique: boolean, a: PrismaAttribute | undefined, at: ModelLocation) => {
    if (cols.length === 0) return;
    indexes.push({
      schema,
      table: name,
      name: mapArg(a) ?? `${name}_${cols.join('_')}_${unique ? 'key' : 'idx'}`,
      columns: cols,
      unique,
      method: 'btree',
      where: null,
      constraintBacked: false,
      loc: at,
    });
  };
  for (const f of model.fields) {
    const target = ctx.models.get(f.type);
    if (target) {
      // A relation field: the foreign key lives on the side that names `fields`.
      const rel = attr(f.attributes, 'relation');
      const fields = fieldList(namedArg(rel, 'fields'));
      const refs = fieldList(namedArg(rel, 'references'));
      if (fields.length === 0 || fields.length !== refs.length) continue;
      const cols = fields.map((x) => columnName(model, x));
      const action = (key: string, fallback: string) => {
        const v = namedArg(rel, key);
        return v?.t === 'ident' ? v.s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : fallback;
      };
      constraints.push({
        name: mapArg(rel) ?? `${name}_${cols.join('_')}_fkey`,
        kind: 'foreign_key',
        columns: cols,
        expression: null,
        references: {
          schema: schemaOf(target),
          table: tableName(target),
          columns: refs.map((x) => columnName(target, x)),
          onDelete: action('onDelete', f.optional ? 'set null' : 'restrict'),
          onUpdate: action('onUpdate', 'cascade'),
        },
        loc: loc({ file: model.file, line: f.line, column: f.column }),
      });
      continue;
    }
    // Composite types belong to MongoDB; a field of one is no column here.
    if (!SCALARS[f.type] && f.unsupported === null && !ctx.enums.has(f.type)) {
      if (!f.attributes.some((a) => a.name.startsWith('db.'))) continue;
    }
    const column = mapped(f.attributes, f.name);
    const at = loc({ file: model.file, line: f.line, column: f.column });
    const type = columnType(f, ctx);
    const def = attr(f.attributes, 'default')?.args[0]?.value ?? null;
    let dflt: string | null = null;
    if (def?.t === 'call' && def.name === 'autoincrement') {
      // A serial column: Prisma writes SERIAL (BIGSERIAL for BigInt).
      dflt = serialDefault(schema, name, column);
    } else if (def) dflt = defaultText(def, ctx.options);
    columns.push({
      name: column,
      type,
      nullable: f.optional || f.list,
      default: dflt,
      identity: null,
      generated: null,
      comment: null,
      loc: at,
    });
    const id = attr(f.attributes, 'id');
    if (id) {
      constraints.push({
        name: mapArg(id) ?? `${name}_pkey`,
        kind: 'primary_key',
        columns: [column],
        expression: null,
        references: null,
        loc: at,
      });
    }
    const unique = attr(f.attributes, 'unique');
    if (unique) index([column], true, unique, at);
  }
  for (const a of model.attributes) {
    const at = loc({ file: model.file, line: a.line, column: a.column });
    const cols = fieldList(a.args.find((x) => x.name === null || x.name === 'fields')?.value).map((x) =>
      columnName(model, x),
    );
    if (a.name === 'id' && cols.length > 0) {
      constraints.push({
        name: mapArg(a) ?? `${name}_pkey`,
        kind: 'primary_key',
        columns: cols,
        expression: null,
        references: null,
        loc: at,
      });
    } else if (a.name === 'unique') index(cols, true, a, at);
    else if (a.name === 'index') index(cols, false, a, at);
  }
  // The primary key makes its columns NOT NULL.
  for (const c of constraints) {
    if (c.kind !== 'primary_key') continue;
    for (const col of columns) if (c.columns.includes(col.name)) col.nullable = false;
  }
  return {
    table: {
      schema,
      name,
      columns,
      constraints,
      rlsEnabled: false,
      rlsForced: false,
      comment: null,
      loc: loc(model),
    },
    indexes,
  };
}

/** Whether a set of files (one schema, split or not) is for PostgreSQL: true when no datasource says otherwise. */
export function isPostgresSchema(files: PrismaSchemaFile[]): boolean {
  for (const f of files) {
    for (const b of f.blocks) {
      const provider = b.kind === 'datasource' ? b.settings.provider : undefined;
      if (provider?.t === 'string' && !POSTGRES_PROVIDERS.has(provider.s)) return false;
    }
  }
  return true;
}

/** The files of one Prisma schema (a single file or a folder's files) as one SchemaModel. */
export function prismaToSchemaModel(
  files: PrismaSchemaFile[],
  options: PrismaModelOptions = {},
): SchemaModel {
  const model = emptySchemaModel();
  if (!isPostgresSchema(files)) return model;
  const blocks = files.flatMap((f) => f.blocks);
  const ctx: Context = {
    models: new Map(blocks.filter((b) => b.kind === 'model' || b.kind === 'view').map((b) => [b.name, b])),
    enums: new Map(blocks.filter((b) => b.kind === 'enum').map((b) => [b.name, b])),
    options,
  };
  const views: ViewModel[] = [];
  const enums: EnumModel[] = [];
  for (const b of blocks) {
    if (b.kind === 'model') {
      const { table, indexes } = tableOf(b, ctx);
      model.tables.push(table);
      model.indexes.push(...indexes);
    } else if (b.kind === 'view') {
      views.push({
        schema: schemaOf(b),
        name: tableName(b),
        materialized: false,
        securityInvoker: false,
        selectableBy: [],
        loc: loc(b),
      });
    } else if (b.kind === 'enum') {
      enums.push({
        schema: schemaOf(b),
        name: tableName(b),
        values: b.values.map((v) => v.map ?? v.name),
        loc: loc(b),
      });
    }
  }
  return canonicalize({ ...model, views, enums });
}
