import { docFindings } from '../helpers.js';
import { defineRule } from '../types.js';

/** Two entries for one table disagree sooner or later, and nobody knows which one is canonical. */
export default defineRule({
  id: 'doc-duplicate-table',
  summary: 'each table is documented once',
  defaultSeverity: 'error',
  group: 'doc',
  check: (ctx) => {
    const first = new Map<string, number>();
    const derived = [];
    for (const t of ctx.doc?.tables ?? []) {
      const seen = first.get(t.name);
      if (seen === undefined) {
        first.set(t.name, t.line);
        continue;
      }
      derived.push({
        line: t.line,
        column: 1,
        table: t.name,
        message:
          `table \`${t.name}\` is documented again (first at line ${seen}): two entries drift apart and ` +
          'readers cannot tell which is canonical. Merge them into the first entry and delete this one.',
      });
    }
    return docFindings(ctx, 'doc-duplicate-table', derived);
  },
});
