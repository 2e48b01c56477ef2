import { findTable } from '../../model/schema-model.js';
import { comparisons, listText } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/** The string literals of a CHECK expression (`status = ANY (ARRAY['a'::text, …])`, `status IN ('a', …)`). */
export function checkValues(expression: string): string[] {
  const values: string[] = [];
  for (const m of expression.matchAll(/'((?:[^']|'')*)'/g)) values.push((m[1] ?? '').replace(/''/g, "'"));
  return values;
}

export default defineRule({
  id: 'drift-status-values',
  summary: "a documented `-- Values:` list equals the values the column's CHECK constraint allows",
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    const doc = ctx.doc;
    if (!doc) return out;
    for (const cmp of comparisons(ctx, { doc: true, database: true })) {
      if (cmp.leftKind !== 'doc') continue;
      for (const entry of doc.tables) {
        if (entry.deprecation) continue;
        const table = findTable(cmp.right, entry.name);
        if (!table) continue;
        for (const sv of entry.statusValues) {
          if (!table.columns.some((c) => c.name === sv.column)) continue;
          const checks = table.constraints.filter(
            (c) => c.kind === 'check' && c.columns.length === 1 && c.columns[0] === sv.column && c.expression,
          );
          const allowed = [...new Set(checks.flatMap((c) => checkValues(c.expression ?? '')))];
          const where = `\`${entry.name}.${sv.column}\``;
          const base = {
            rule: 'drift-status-values',
            file: doc.file,
            line: sv.line,
            column: 1,
            table: entry.name,
            source: cmp.source,
          };
          if (allowed.length === 0) {
            out.push({
              ...base,
              message:
                `the document lists the values of ${where} (${listText(sv.values)}) but ${cmp.rightName} ` +
                'enforce none: any string can be stored, so the list is a wish. Add a CHECK constraint ' +
                `(\`check (${sv.column} in (${sv.values.map((v) => `'${v}'`).join(', ')}))\`) in a migration.`,
            });
            continue;
          }
          const documented = new Set(sv.values);
          const allowedSet = new Set(allowed);
          const onlyDoc = sv.values.filter((v) => !allowedSet.has(v));
          const onlyCheck = allowed.filter((v) => !documented.has(v));
          if (onlyDoc.length === 0 && onlyCheck.length === 0) continue;
          const parts: string[] = [];
          if (onlyDoc.length > 0) parts.push(`documented but refused by the CHECK: ${listText(onlyDoc)}`);
          if (onlyCheck.length > 0)
            parts.push(`allowed by the CHECK but not documented: ${listText(onlyCheck)}`);
          out.push({
            ...base,
            suggestion: allowed.join(', '),
            message:
              `the documented values of ${where} differ from its CHECK constraint in ${cmp.rightName} ` +
              `(${parts.join('; ')}): code written from the document will fail on insert or miss a state. ` +
              `Make the \`-- Values:\` list read \`${allowed.join(', ')}\`, or change the CHECK in a migration.`,
          });
        }
      }
    }
    return out;
  },
});
