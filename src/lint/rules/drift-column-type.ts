import { differsText } from '../drift.js';
import { columnPairFinding, pairedColumns } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'drift-column-type',
  summary: 'a column has the same type in the document, the migrations and the database',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    // A markdown column table does state types, so it is compared too.
    for (const p of pairedColumns(ctx, { fullSchema: false })) {
      if (p.left.type === p.right.type) continue;
      out.push({
        ...columnPairFinding(ctx, 'drift-column-type', p),
        suggestion: p.right.type,
        message: differsText(
          p.cmp,
          `the type of column \`${p.key}.${p.left.name}\``,
          p.left.type,
          p.right.type,
        ),
      });
    }
    return out;
  },
});
