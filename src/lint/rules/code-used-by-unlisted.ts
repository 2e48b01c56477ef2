import { isDeprecated, KnownNames, usedByPath } from '../../code/known-names.js';
import type { TableReference } from '../../code/table-reference.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'code-used-by-unlisted',
  summary: 'every file that references a documented table is in that table\'s "Used by"',
  defaultSeverity: 'warn',
  group: 'code',
  check: (ctx) => {
    if (!ctx.code || !ctx.doc) return [];
    const known = new KnownNames(ctx);
    const first = new Map<string, TableReference>();
    for (const ref of ctx.code.references) {
      // Repeatable SQL (policies, triggers) touches every table it governs; "Used by" lists the application.
      if (ref.target !== 'table' || ref.via === 'sql-file') continue;
      const doc = known.table(ref)?.doc;
      if (!doc || isDeprecated(doc)) continue;
      const key = `${doc.name}\0${ref.file}`;
      if (!first.has(key)) first.set(key, ref);
    }
    const out: Violation[] = [];
    for (const ref of first.values()) {
      const doc = known.table(ref)?.doc;
      if (!doc) continue;
      if (doc.usedBy.some((u) => usedByPath(u) === ref.file)) continue;
      out.push({
        rule: 'code-used-by-unlisted',
        file: ref.file,
        line: ref.line,
        column: ref.column,
        table: doc.name,
        message:
          `this file ${ref.kind === 'write' ? 'writes' : ref.kind === 'read' ? 'reads' : 'uses'} \`${doc.name}\` but is not in its ` +
          `"Used by" in ${ctx.doc.file}:${doc.line}, so a migration of the table would miss it. Add \`${ref.file}\` there.`,
      });
    }
    return out;
  },
});
