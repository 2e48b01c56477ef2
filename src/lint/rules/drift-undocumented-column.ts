import { findColumn } from '../../model/schema-model.js';
import { onlyRightText } from '../drift.js';
import { at, comparisons, locate, pairedTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'drift-undocumented-column',
  summary: 'every column the migrations create is documented (and every database column is migrated)',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const cmp of comparisons(ctx, { doc: true, database: true })) {
      for (const { left, right, key } of pairedTables(ctx, cmp)) {
        for (const c of right.columns) {
          if (findColumn(left, c.name)) continue;
          out.push({
            rule: 'drift-undocumented-column',
            // The fix goes into the left side's declaration of the table.
            ...at(locate(ctx, cmp.leftKind, left.loc, c.loc)),
            table: key,
            source: cmp.source,
            message: onlyRightText(
              ctx,
              cmp,
              `column \`${key}.${c.name}\` (${c.type})`,
              `the schema of \`${key}\``,
            ),
          });
        }
      }
    }
    return out;
  },
});
