import { findColumn } from '../../model/schema-model.js';
import { onlyLeftText } from '../drift.js';
import { at, comparisons, locate, pairedTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'drift-missing-column',
  summary: 'every documented column exists in the migrations (and every migrated column in the database)',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const cmp of comparisons(ctx, { doc: true, database: true })) {
      for (const { left, right, key } of pairedTables(ctx, cmp)) {
        for (const c of left.columns) {
          if (findColumn(right, c.name)) continue;
          out.push({
            rule: 'drift-missing-column',
            ...at(locate(ctx, cmp.leftKind, c.loc, left.loc)),
            table: key,
            source: cmp.source,
            message: onlyLeftText(ctx, cmp, `column \`${key}.${c.name}\``),
          });
        }
      }
    }
    return out;
  },
});
