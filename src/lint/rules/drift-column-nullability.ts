import { differsText } from '../drift.js';
import { columnPairFinding, pairedColumns } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

const text = (nullable: boolean) => (nullable ? 'NULL' : 'NOT NULL');

export default defineRule({
  id: 'drift-column-nullability',
  summary: 'a column is NOT NULL in the document exactly when it is in the migrations and the database',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const p of pairedColumns(ctx, { fullSchema: true })) {
      if (p.left.nullable === p.right.nullable) continue;
      out.push({
        ...columnPairFinding(ctx, 'drift-column-nullability', p),
        message: differsText(
          p.cmp,
          `column \`${p.key}.${p.left.name}\``,
          text(p.left.nullable),
          text(p.right.nullable),
        ),
      });
    }
    return out;
  },
});
