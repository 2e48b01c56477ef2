/**
 * SchemaModel table → the CREATE TABLE text of a document's Schema block, in the style of the seeds
 * (upper-case short types, constraints inline where Postgres would give them the same name, a `-- Values:`
 * comment where a CHECK only lists a column's allowed values). Replaying the text gives back the same table:
 * constraints whose names Postgres would not generate from the inline form are written with CONSTRAINT name.
 */
import { checkValues } from '../lint/rules/drift-status-values.js';
import type { ConstraintModel, IndexModel, SchemaModel, TableModel } from '../model/schema-model.js';
import { quoteIdent } from '../model/types.js';
import { makeObjectName, nameAddition } from '../sql/names.js';

const SHORT_TYPES: Record<string, string> = {
  'timestamp with time zone': 'TIMESTAMPTZ',
  'timestamp without time zone': 'TIMESTAMP',
  'time with time zone': 'TIMETZ',
  'time without time zone': 'TIME',
  'character varying': 'VARCHAR',
  character: 'CHAR',
  'double precision': 'DOUBLE PRECISION',
};

const BUILTIN = new Set([
  'text',
  'integer',
  'bigint',
  'smallint',
  'boolean',
  'jsonb',
  'json',
  'uuid',
  'date',
  'numeric',
  'real',
  'bytea',
  'inet',
  'cidr',
  'xid8',
  'interval',
  'money',
  'tsvector',
  'citext',
]);

/** `timestamp with time zone` → `TIMESTAMPTZ`, `character varying(20)[]` → `VARCHAR(20)[]`; other types as is. */
export function displayType(type: string): string {
  const m = /^(.*?)((?:\[\])*)$/.exec(type) as RegExpExecArray;
  const base = m[1] as string;
  const dims = m[2] as string;
  const withMod = /^(timestamp|time)\((\d+)\) (with|without) time zone$/.exec(base);
  if (withMod) {
    const short = SHORT_TYPES[`${withMod[1]} ${withMod[3]} time zone`] as string;
    return `${short}(${withMod[2]})${dims}`;
  }
  const mod = /^([a-z ]+?)(\([\d,]+\))?$/.exec(base);
  if (!mod) return type;
  const name = mod[1] as string;
  const short = SHORT_TYPES[name] ?? (BUILTIN.has(name) ? name.toUpperCase() : null);
  return short === null ? type : `${short}${mod[2] ?? ''}${dims}`;
}

const q = (name: string) => quoteIdent(name);
const cols = (names: string[]) => names.map(q).join(', ');
const tableRef = (schema: string, name: string) =>
  schema === 'public' ? q(name) : `${q(schema)}.${q(name)}`;

function references(c: ConstraintModel): string {
  const r = c.references;
  if (!r) return '';
  let s = ` REFERENCES ${tableRef(r.schema, r.table)}${r.columns.length > 0 ? ` (${cols(r.columns)})` : ''}`;
  if (r.onDelete && r.onDelete !== 'no action') s += ` ON DELETE ${r.onDelete.toUpperCase()}`;
  if (r.onUpdate && r.onUpdate !== 'no action') s += ` ON UPDATE ${r.onUpdate.toUpperCase()}`;
  return s;
}

/** The allowed values when a CHECK only says `col = ANY (ARRAY['a', …])` or `col IN ('a', …)`; else null. */
export function valuesOfCheck(c: ConstraintModel): string[] | null {
  if (c.kind !== 'check' || c.columns.length !== 1 || !c.expression) return null;
  const col = c.columns[0] as string;
  const e = c.expression.replace(/\s+/g, ' ').trim();
  const target = `\\(*"?${col.replace(/[$]/g, '\\$')}"?\\)*(?:::text)?`;
  const anyForm = new RegExp(
    `^\\(*${target} = ANY \\(\\(?ARRAY\\[[^\\]]*\\]\\)?(?:::text\\[\\])?\\)\\)*$`,
    'i',
  );
  const inForm = new RegExp(`^\\(*${target} IN \\([^)]*\\)\\)*$`, 'i');
  if (!anyForm.test(e) && !inForm.test(e)) return null;
  const values = checkValues(e);
  return values.length > 0 ? values : null;
}

export interface DeparseOptions {
  /** Trailing comments to keep on a column's line (from the block being replaced), by column name. */
  columnComments?: Map<string, string>;
  /** Columns whose `-- Values:` comment stays as the document had it (no CHECK lists them). */
  keptValues?: Map<string, string[]>;
  /** Also write the table's CREATE INDEX statements (not constraint-backed ones). Default false. */
  indexes?: boolean;
}

/** CREATE TABLE (plus its indexes and comments) for one table of `model`. */
export function deparseTable(model: SchemaModel, table: TableModel, options: DeparseOptions = {}): string {
  const name = table.name;
  const remaining = [...table.constraints];
  const take = (pred: (c: ConstraintModel) => boolean): ConstraintModel | undefined => {
    const i = remaining.findIndex(pred);
    return i < 0 ? undefined : remaining.splice(i, 1)[0];
  };
  const single = (c: ConstraintModel, col: string) => c.columns.length === 1 && c.columns[0] === col;

  const values = new Map<string, string[]>();
  const items: { text: string; comment: string | null }[] = [];
  for (const col of table.columns) {
    let def = `${q(col.name)} `;
    const nextval = /^nextval\('(?:[\w$]+\.)?"?([\w$]+)"?'(?:::regclass)?\)$/.exec(col.default ?? '');
    const serial =
      nextval !== null &&
      nextval[1] === makeObjectName(name, col.name, 'seq') &&
      !col.nullable &&
      (col.type === 'integer' || col.type === 'bigint' || col.type === 'smallint');
    def += serial
      ? { integer: 'SERIAL', bigint: 'BIGSERIAL', smallint: 'SMALLSERIAL' }[col.type]
      : displayType(col.type);
    if (col.identity) def += ` GENERATED ${col.identity.toUpperCase()} AS IDENTITY`;
    if (col.generated) def += ` GENERATED ALWAYS AS (${col.generated}) STORED`;
    const pk = take(
      (c) => c.kind === 'primary_key' && single(c, col.name) && c.name === makeObjectName(name, null, 'pkey'),
    );
    if (pk) def += ' PRIMARY KEY';
    else if (!col.nullable && !serial && !col.identity) def += ' NOT NULL';
    if (col.default !== null && !serial) def += ` DEFAULT ${col.default}`;
    if (
      take(
        (c) => c.kind === 'unique' && single(c, col.name) && c.name === makeObjectName(name, col.name, 'key'),
      )
    ) {
      def += ' UNIQUE';
    }
    const fk = take(
      (c) =>
        c.kind === 'foreign_key' && single(c, col.name) && c.name === makeObjectName(name, col.name, 'fkey'),
    );
    if (fk) def += references(fk);
    for (;;) {
      const check = take(
        (c) =>
          c.kind === 'check' && single(c, col.name) && c.name === makeObjectName(name, col.name, 'check'),
      );
      if (!check) break;
      const listed = valuesOfCheck(check);
      if (listed) values.set(col.name, listed);
      else def += ` CHECK (${check.expression})`;
      break;
    }
    const listed = values.get(col.name) ?? options.keptValues?.get(col.name);
    const human = options.columnComments?.get(col.name) ?? null;
    const comment = listed ? `-- Values: ${listed.join(', ')}` : human;
    items.push({ text: def, comment });
  }
  for (const c of remaining) {
    const defaultName =
      c.kind === 'primary_key'
        ? makeObjectName(name, null, 'pkey')
        : c.kind === 'unique'
          ? makeObjectName(name, nameAddition(c.columns), 'key')
          : null;
    const prefix = c.name === defaultName ? '' : `CONSTRAINT ${q(c.name)} `;
    let body: string;
    if (c.kind === 'primary_key') body = `PRIMARY KEY (${cols(c.columns)})`;
    else if (c.kind === 'unique') body = `UNIQUE (${cols(c.columns)})`;
    else if (c.kind === 'foreign_key') body = `FOREIGN KEY (${cols(c.columns)})${references(c)}`;
    else if (c.kind === 'check') body = `CHECK (${c.expression})`;
    else body = `EXCLUDE ${c.expression ?? ''}`;
    items.push({ text: `${prefix}${body}`, comment: null });
  }

  const lines = [`CREATE TABLE ${tableRef(table.schema, name)} (`];
  items.forEach((item, i) => {
    const comma = i < items.length - 1 ? ',' : '';
    lines.push(`  ${item.text}${comma}${item.comment ? `  ${item.comment}` : ''}`);
  });
  lines.push(');');

  const indexes = options.indexes
    ? model.indexes.filter(
        (ix: IndexModel) => ix.schema === table.schema && ix.table === name && !ix.constraintBacked,
      )
    : [];
  for (const ix of indexes) {
    const using = ix.method === 'btree' ? '' : ` USING ${ix.method}`;
    const where = ix.where ? ` WHERE ${ix.where}` : '';
    lines.push(
      `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${q(ix.name)} ON ${tableRef(table.schema, name)}${using} (${ix.columns.join(', ')})${where};`,
    );
  }
  const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
  if (table.comment !== null)
    lines.push(`COMMENT ON TABLE ${tableRef(table.schema, name)} IS ${literal(table.comment)};`);
  for (const col of table.columns) {
    if (col.comment !== null) {
      lines.push(
        `COMMENT ON COLUMN ${tableRef(table.schema, name)}.${q(col.name)} IS ${literal(col.comment)};`,
      );
    }
  }
  return lines.join('\n');
}
