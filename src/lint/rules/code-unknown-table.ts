import { KnownNames } from '../../code/known-names.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'code-unknown-table',
  summary: 'every table the code reads or writes is in the document or the migrations',
  defaultSeverity: 'error',
  group: 'code',
  check: (ctx) => {
    if (!ctx.code) return [];
    const known = new KnownNames(ctx);
    if (!known.hasSchema) return [];
    const out: Violation[] = [];
    for (const ref of ctx.code.references) {
      if (ref.target !== 'table' || !known.judged(ref) || known.table(ref)) continue;
      // A spelling of a known table is code-table-case's finding, not an unknown table.
      if (known.looseMatches(ref).length > 0) continue;
      const schema = ref.schema ?? 'public';
      const suggestion = known.closest(
        ref.name,
        [...known.tables.values()].filter((t) => t.schema === schema).map((t) => t.name),
      );
      out.push({
        rule: 'code-unknown-table',
        file: ref.file,
        line: ref.line,
        column: ref.column,
        table: ref.schema ? `${ref.schema}.${ref.name}` : ref.name,
        ...(suggestion ? { suggestion } : {}),
        message:
          `\`${ref.name}\` is neither documented in ${ctx.doc?.file ?? ctx.config.doc} nor created by a migration, ` +
          `so this ${ref.kind === 'write' ? 'write' : ref.kind === 'read' ? 'read' : 'use'} fails at run time (or hits a table nobody governs). ` +
          (suggestion ? `Did you mean \`${suggestion}\`? ` : '') +
          'Fix the name, or add the table with a migration and document it.',
      });
    }
    return out;
  },
});
