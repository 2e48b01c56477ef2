import { tableKey } from '../../model/schema-model.js';
import { at, conventionModel, locate, ownTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/**
 * Postgres does not index the referencing side of a foreign key. Without one, every delete or key update on the
 * parent scans the child table, and joins from parent to children scan it too.
 */
export default defineRule({
  id: 'index-foreign-key',
  summary: 'every foreign key has an index that starts with its columns',
  defaultSeverity: 'warn',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    const model = conventionModel(ctx);
    for (const t of ownTables(model)) {
      const leading: string[][] = model.indexes
        .filter((i) => i.schema === t.schema && i.table === t.name && i.where === null)
        .map((i) => i.columns.map((c) => c.replace(/\s+(ASC|DESC).*$/i, '')));
      // Primary keys and unique constraints are indexed whether or not the producer lists their index.
      for (const c of t.constraints)
        if (c.kind === 'primary_key' || c.kind === 'unique') leading.push(c.columns);
      for (const fk of t.constraints) {
        if (fk.kind !== 'foreign_key') continue;
        const n = fk.columns.length;
        const covered = leading.some(
          (cols) =>
            cols.length >= n && [...cols.slice(0, n)].sort().join(',') === [...fk.columns].sort().join(','),
        );
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
