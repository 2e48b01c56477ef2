import { findColumn } from '../../model/schema-model.js';
import { differsText } from '../drift.js';
import { at, comparisons, isColumnTableDoc, locate, pairedTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

const text = (nullable: boolean) => (nullable ? 'NULL' : 'NOT NULL');

export default defineRule({
  id: 'drift-column-nullability',
  summary: 'a column is NOT NULL in the document exactly when it is in the migrations and the database',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const cmp of comparisons(ctx, { doc: true, database: true })) {
      for (const { left, right, key } of pairedTables(ctx, cmp)) {
        // A markdown column table says nothing about nullability.
        if (isColumnTableDoc(ctx, cmp, left)) continue;
        for (const l of left.columns) {
          const r = findColumn(right, l.name);
          if (!r || r.nullable === l.nullable) continue;
          out.push({
            rule: 'drift-column-nullability',
            ...at(locate(ctx, cmp.leftKind, l.loc, left.loc)),
            table: key,
            source: cmp.source,
            message: differsText(cmp, `column \`${key}.${l.name}\``, text(l.nullable), text(r.nullable)),
          });
        }
      }
    }
    return out;
  },
});
