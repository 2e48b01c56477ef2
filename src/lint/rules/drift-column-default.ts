import { findColumn } from '../../model/schema-model.js';
import { differsText } from '../drift.js';
import { at, comparisons, isColumnTableDoc, locate, pairedTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

const text = (d: string | null) => (d === null ? 'no default' : `DEFAULT ${d}`);

export default defineRule({
  id: 'drift-column-default',
  summary: 'a column has the same default in the document, the migrations and the database',
  defaultSeverity: 'warn',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const cmp of comparisons(ctx, { doc: true, database: true })) {
      for (const { left, right, key } of pairedTables(ctx, cmp)) {
        // A markdown column table says nothing about defaults.
        if (isColumnTableDoc(ctx, cmp, left)) continue;
        for (const l of left.columns) {
          const r = findColumn(right, l.name);
          if (!r || r.default === l.default) continue;
          out.push({
            rule: 'drift-column-default',
            ...at(locate(ctx, cmp.leftKind, l.loc, left.loc)),
            table: key,
            source: cmp.source,
            message: differsText(
              cmp,
              `the default of column \`${key}.${l.name}\``,
              text(l.default),
              text(r.default),
            ),
          });
        }
      }
    }
    return out;
  },
});
