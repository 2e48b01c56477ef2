import { findColumn } from '../../model/schema-model.js';
import { differsText } from '../drift.js';
import { at, comparisons, locate, pairedTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'drift-column-type',
  summary: 'a column has the same type in the document, the migrations and the database',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const cmp of comparisons(ctx, { doc: true, database: true })) {
      for (const { left, right, key } of pairedTables(ctx, cmp)) {
        for (const l of left.columns) {
          const r = findColumn(right, l.name);
          if (!r || r.type === l.type) continue;
          out.push({
            rule: 'drift-column-type',
            ...at(locate(ctx, cmp.leftKind, l.loc, left.loc)),
            table: key,
            source: cmp.source,
            suggestion: r.type,
            message: differsText(cmp, `the type of column \`${key}.${l.name}\``, l.type, r.type),
          });
        }
      }
    }
    return out;
  },
});
