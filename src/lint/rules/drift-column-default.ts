import { differsText } from '../drift.js';
import { columnPairFinding, pairedColumns } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

const text = (d: string | null) => (d === null ? 'no default' : `DEFAULT ${d}`);

export default defineRule({
  id: 'drift-column-default',
  summary: 'a column has the same default in the document, the migrations and the database',
  defaultSeverity: 'warn',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const p of pairedColumns(ctx, { fullSchema: true })) {
      if (p.left.default === p.right.default) continue;
      out.push({
        ...columnPairFinding(ctx, 'drift-column-default', p),
        message: differsText(
          p.cmp,
          `the default of column \`${p.key}.${p.left.name}\``,
          text(p.left.default),
          text(p.right.default),
        ),
      });
    }
    return out;
  },
});
