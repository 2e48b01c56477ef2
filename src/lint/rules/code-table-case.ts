import { isDeprecated, KnownNames, looseName, splitSentence } from '../../code/known-names.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'code-table-case',
  summary: 'the code spells each table exactly as it is declared (Postgres names are case-sensitive)',
  defaultSeverity: 'error',
  group: 'code',
  check: (ctx) => {
    if (!ctx.code) return [];
    const known = new KnownNames(ctx);
    const out: Violation[] = [];
    for (const ref of ctx.code.references) {
      if (ref.target !== 'table' || known.table(ref)) continue;
      const matches = known.looseMatches(ref);
      // Prefer the document's live entry over a deprecated spelling or a migrations-only table.
      const target =
        matches.find((t) => t.doc && !isDeprecated(t.doc)) ?? matches.find((t) => !t.doc) ?? matches[0];
      if (!target) continue;
      const others = ctx.code.references.filter(
        (o) => o.target === 'table' && o.name !== ref.name && looseName(o.name) === looseName(ref.name),
      );
      out.push({
        rule: 'code-table-case',
        file: ref.file,
        line: ref.line,
        column: ref.column,
        table: ref.name,
        suggestion: target.name,
        message:
          `\`${ref.name}\` differs from the table \`${target.name}\` only in case or underscores; Postgres treats ` +
          `them as different tables.${splitSentence(ref, others)} Write \`${target.name}\`.`,
      });
    }
    return out;
  },
});
