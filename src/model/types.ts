/**
 * Column type spelling shared by every producer of a SchemaModel: the text `format_type()` gives, so that
 * `int`, `int4` and `integer` (or `timestamptz` and `timestamp with time zone`) compare equal whichever source
 * they came from. The SQL replay feeds it parsed type names; the document's markdown column tables feed it text.
 */

/** Internal or alias names → the name format_type() prints. Keys are lower case, unqualified. */
const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int2: 'smallint',
  smallint: 'smallint',
  int8: 'bigint',
  bigint: 'bigint',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
  float4: 'real',
  real: 'real',
  float8: 'double precision',
  'double precision': 'double precision',
  bool: 'boolean',
  boolean: 'boolean',
  varchar: 'character varying',
  'character varying': 'character varying',
  'char varying': 'character varying',
  char: 'character',
  character: 'character',
  decimal: 'numeric',
  numeric: 'numeric',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  varbit: 'bit varying',
  'bit varying': 'bit varying',
  bit: 'bit',
  dec: 'numeric',
  nchar: 'character',
  'national char': 'character',
  'national character': 'character',
  interval: 'interval',
};

/** `interval` with a field restriction, as format_type() prints it (`interval day to second`). */
const INTERVAL_WITH_FIELDS =
  /^interval (?:year|month|day|hour|minute|second|year to month|day to (?:hour|minute|second)|hour to (?:minute|second)|minute to second)$/;

/** The serial pseudo-types: they are an integer column with a sequence default, not a type of their own. */
export const SERIAL_TYPES: Record<string, string> = {
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
};

/** Schemas whose types format_type() prints unqualified (the default search_path plus pg_catalog). */
const VISIBLE_SCHEMAS = new Set(['pg_catalog', 'public']);

/** Identifier as Postgres prints it: bare when it is a plain lower-case name, else double-quoted. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Reserved key words (those quote_ident() quotes); a column or table of this name is printed quoted. */
export const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate ' +
    'collation column concurrently constraint create cross current_catalog current_date current_role ' +
    'current_schema current_time current_timestamp current_user default deferrable desc distinct do else end ' +
    'except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into ' +
    'is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on ' +
    'only or order outer overlaps placing primary references returning right select session_user similar some ' +
    'symmetric system_user table tablesample then to trailing true union unique user using variadic verbose ' +
    'when where window with between bigint bit boolean char character coalesce dec decimal exists extract float ' +
    'greatest grouping inout int integer interval least national nchar none normalize nullif numeric out ' +
    'overlay position precision real row setof smallint substring time timestamp treat trim values varchar ' +
    'xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize ' +
    'xmltable'
  ).split(' '),
);

export interface TypeParts {
  /** Schema as written, or null when unqualified. */
  schema: string | null;
  /** Type name as stored (unquoted names already folded to lower case). */
  name: string;
  /** Type modifiers as written: `[20]` for varchar(20), `[10, 2]` for numeric(10,2). */
  modifiers: string[];
  /** True for `text[]`, `int[][]`, `text array`. */
  array: boolean;
  /**
   * A type without any modifier, as a function's arguments and result have it: `char` and `bit` are then not
   * char(1) and bit(1) but `character` and `bit`, and the internal `bpchar` is `character`.
   */
  unmodified?: boolean;
}

/**
 * format_type() spelling of a type. Unknown (user-defined) types keep their name, qualified when they live
 * outside public/pg_catalog, quoted when Postgres would quote them. An interval's fields are part of its name
 * (`interval day to second`, modifiers then hold only the precision); `"char"` is Postgres's one-byte internal
 * type, which only a quoted name means.
 */
export function formatType(parts: TypeParts): string {
  const schema = parts.schema;
  const lower = parts.name;
  const catalog = schema === null || schema === 'pg_catalog';
  const builtin = catalog
    ? (ALIASES[lower] ?? (INTERVAL_WITH_FIELDS.test(lower) ? lower : undefined))
    : undefined;
  let base: string;
  const mods = parts.modifiers.length ? `(${parts.modifiers.join(',')})` : '';
  if (builtin === 'timestamp with time zone' || builtin === 'timestamp without time zone') {
    base = `timestamp${mods} ${builtin.slice('timestamp '.length)}`;
  } else if (builtin === 'time with time zone' || builtin === 'time without time zone') {
    base = `time${mods} ${builtin.slice('time '.length)}`;
  } else if (parts.unmodified && (builtin === 'character' || (lower === 'bpchar' && catalog))) {
    base = 'character';
  } else if (parts.unmodified && builtin === 'bit') {
    base = 'bit';
  } else if (builtin === 'character' && mods === '') {
    // `char` alone means char(1) (the grammar says so); only the internal name bpchar is unbounded.
    base = 'character(1)';
  } else if (builtin === 'bit' && mods === '') {
    // Likewise `bit` alone is bit(1).
    base = 'bit(1)';
  } else if (builtin === 'numeric' && parts.modifiers.length === 1) {
    // numeric(p) is numeric(p,0), and format_type() says so.
    base = `numeric(${parts.modifiers[0]},0)`;
  } else if (lower === 'bpchar' && mods !== '' && (schema === null || schema === 'pg_catalog')) {
    base = `character${mods}`;
  } else if (lower === 'float' && (schema === null || schema === 'pg_catalog')) {
    const p = Number(parts.modifiers[0] ?? 53);
    base = p <= 24 ? 'real' : 'double precision';
  } else if (builtin !== undefined) {
    base = `${builtin}${mods}`;
  } else {
    const name = quoteIdent(lower);
    base = `${schema && !VISIBLE_SCHEMAS.has(schema) ? `${quoteIdent(schema)}.` : ''}${name}${mods}`;
  }
  return parts.array ? `${base}[]` : base;
}

/**
 * Normalizes a type written as text (a document's column table, a hand-written fixture): `TIMESTAMPTZ`,
 * `varchar(20)`, `TEXT[]`, `int4`, `public.my_type`, `"MyType"`. Returns the format_type() spelling.
 */
export function normalizeType(text: string): string {
  let s = text.trim();
  let array = false;
  for (;;) {
    const m = /^(.*?)\s*(\[\s*\d*\s*\]|\barray(\s*\[\s*\d*\s*\])?)$/i.exec(s);
    if (!m || m[1] === undefined || m[1] === '') break;
    array = true;
    s = m[1];
  }
  let modifiers: string[] = [];
  const withMods = /^(.*?)\s*\(([^()]*)\)\s*(.*)$/.exec(s);
  if (withMods) {
    modifiers = (withMods[2] ?? '').split(',').map((x) => x.trim());
    s = `${withMods[1] ?? ''} ${withMods[3] ?? ''}`.trim();
  }
  let schema: string | null = null;
  let name = s;
  const dot = /^("(?:[^"]|"")+"|[^".\s]+)\.(.+)$/.exec(s);
  if (dot) {
    schema = unquote(dot[1] ?? '');
    name = dot[2] ?? '';
  }
  if (name === '"char"' && (schema === null || schema === 'pg_catalog')) return array ? '"char"[]' : '"char"';
  name = /^".*"$/.test(name) ? unquote(name) : name.toLowerCase().replace(/\s+/g, ' ');
  return formatType({ schema, name, modifiers, array });
}

function unquote(id: string): string {
  return /^".*"$/.test(id) ? id.slice(1, -1).replace(/""/g, '"') : id.toLowerCase();
}

/**
 * A serial column's default as the catalog prints it: `nextval('t_id_seq')`, schema-qualified outside public,
 * for the sequence Postgres names `<table>_<column>_seq` (names past 63 bytes, which Postgres shortens, aside).
 */
export function serialDefault(schema: string, table: string, column: string): string {
  const seq = `${table}_${column}_seq`;
  const qualified = schema === 'public' ? quoteIdent(seq) : `${quoteIdent(schema)}.${quoteIdent(seq)}`;
  return `nextval('${qualified.replace(/'/g, "''")}')`;
}
