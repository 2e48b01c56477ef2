import { tableKey } from '../../model/schema-model.js';
import { at, conventionModel, locate, ownTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/**
 * Postgres does not index the referencing side of a foreign key. Without one, every delete or key update on the
 * parent scans the child table, and joins from parent to children scan it too.
 */
/**
 * A partial index whose predicate only says that some of the key's columns are not null (`WHERE parent_id IS NOT
 * NULL`) serves the foreign key too: the lookups a delete on the parent makes (`parent_id = $1`) imply it.
 */
export function onlyNotNull(where: string, columns: readonly string[]): boolean {
  const parts = where
    .replace(/^\((.*)\)$/s, '$1')
    .split(/\s+AND\s+/i)
    .map((p) =>
      p
        .trim()
        .replace(/^\((.*)\)$/s, '$1')
        .trim(),
    );
  return parts.every((p) => {
    const m = /^"?([^"\s]+)"?\s+IS\s+NOT\s+NULL$/i.exec(p);
    return m !== null && columns.includes(m[1] as string);
  });
}

export default defineRule({
  id: 'index-foreign-key',
  summary: 'every foreign key has an index that starts with its columns',
  defaultSeverity: 'warn',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    const model = conventionModel(ctx);
    for (const t of ownTables(model)) {
      const indexes = model.indexes
        .filter((i) => i.schema === t.schema && i.table === t.name)
        .map((i) => ({ where: i.where, columns: i.columns.map((c) => c.replace(/\s+(ASC|DESC).*$/i, '')) }));
      const leading: string[][] = indexes.filter((i) => i.where === null).map((i) => i.columns);
      // Primary keys and unique constraints are indexed whether or not the producer lists their index.
      for (const c of t.constraints)
        if (c.kind === 'primary_key' || c.kind === 'unique') leading.push(c.columns);
      for (const fk of t.constraints) {
        if (fk.kind !== 'foreign_key') continue;
        const n = fk.columns.length;
        const starts = (cols: string[]) =>
          cols.length >= n && [...cols.slice(0, n)].sort().join(',') === [...fk.columns].sort().join(',');
        const covered =
          leading.some(starts) ||
          indexes.some((i) => i.where !== null && starts(i.columns) && onlyNotNull(i.where, fk.columns));
        if (covered) continue;
        const name = `ix_${t.name}_${fk.columns.join('_')}`;
        out.push({
          rule: 'index-foreign-key',
          ...at(locate(ctx, 'migrations', fk.loc, t.loc)),
          table: tableKey(t),
          suggestion: name,
          message:
            `foreign key (${fk.columns.join(', ')}) of \`${tableKey(t)}\` has no index: deleting or re-keying a ` +
            `parent row scans the whole table. Add \`create index ${name} on ${tableKey(t)} (${fk.columns.join(', ')})\`.`,
        });
      }
    }
    return out;
  },
});
