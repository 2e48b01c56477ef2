/**
 * Normalizes a column type as a person writes it in a markdown column table (`TIMESTAMPTZ`, `VARCHAR(20)`,
 * `INT[]`) to the `format_type()` spelling the SchemaModel uses, so a column table compares with the migrations.
 */

const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  serial: 'integer',
  serial4: 'integer',
  int8: 'bigint',
  bigint: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  int2: 'smallint',
  smallint: 'smallint',
  smallserial: 'smallint',
  bool: 'boolean',
  boolean: 'boolean',
  float8: 'double precision',
  float: 'double precision',
  'double precision': 'double precision',
  float4: 'real',
  real: 'real',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  varchar: 'character varying',
  'character varying': 'character varying',
  char: 'character',
  character: 'character',
  bpchar: 'character',
  decimal: 'numeric',
  numeric: 'numeric',
};

/** `VARCHAR(20)` → `character varying(20)`, `TIMESTAMPTZ` → `timestamp with time zone`, `int[]` → `integer[]`. */
export function normalizeDocType(written: string): string {
  let t = written.replace(/`/g, '').trim().toLowerCase().replace(/\s+/g, ' ');
  let dims = '';
  const arrayWord = /\s+array$/.exec(t);
  if (arrayWord) {
    t = t.slice(0, arrayWord.index);
    dims = '[]';
  }
  while (t.endsWith('[]')) {
    t = t.slice(0, -2).trimEnd();
    dims += '[]';
  }
  const m = /^([a-z][a-z0-9 ]*?)\s*(\(\s*[\d\s,]+\))?$/.exec(t);
  if (!m) return `${t}${dims}`;
  const base = ALIASES[m[1] as string] ?? (m[1] as string);
  const mod = m[2] ? `(${m[2].slice(1, -1).replace(/\s+/g, '')})` : '';
  if (mod && base.startsWith('timestamp')) {
    // timestamp(3) with time zone: the precision goes after the word timestamp.
    return `${base.replace('timestamp', `timestamp${mod}`)}${dims}`;
  }
  return `${base}${mod}${dims}`;
}
