import { isDeprecated, KnownNames, looseName, splitSentence } from '../../code/known-names.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'code-deprecated-table',
  summary: 'the code uses no table the document marks deprecated',
  defaultSeverity: 'error',
  group: 'code',
  check: (ctx) => {
    if (!ctx.code || !ctx.doc) return [];
    const known = new KnownNames(ctx);
    const out: Violation[] = [];
    for (const ref of ctx.code.references) {
      if (ref.target !== 'table') continue;
      const doc = known.table(ref)?.doc;
      if (!doc || !isDeprecated(doc)) continue;
      const replacement = doc.deprecation?.replacement ?? null;
      // Other spellings of the same logical table elsewhere in the code: the replacement, or a loose match.
      const others = ctx.code.references.filter(
        (o) =>
          o.target === 'table' &&
          o.name !== ref.name &&
          (o.name === replacement || looseName(o.name) === looseName(ref.name)) &&
          (o.file !== ref.file || o.line !== ref.line),
      );
      // The reason often ends in "Use `x` instead." already; the message says that once, at its end.
      const why = (doc.deprecation?.reason ?? '')
        .replace(/\s*Use\s+`?[\w.]+`?\s+instead\.?/i, '')
        .replace(/\.$/, '')
        .trim();
      const reason = why ? ` (${why})` : '';
      out.push({
        rule: 'code-deprecated-table',
        file: ref.file,
        line: ref.line,
        column: ref.column,
        table: ref.name,
        ...(replacement ? { suggestion: replacement } : {}),
        message:
          `\`${ref.name}\` is deprecated in ${ctx.doc.file}:${doc.line}${reason}.` +
          splitSentence(ref, others) +
          (replacement
            ? ` Use \`${replacement}\` instead.`
            : ' Move this code to the table that replaced it.'),
      });
    }
    return out;
  },
});
