import type { ConstraintModel, TableModel } from '../../model/schema-model.js';
import { constraintSignature, describeConstraint, onlyLeftText, onlyRightText } from '../drift.js';
import { at, comparisons, docTableFor, isColumnTableDoc, locate, pairedTables } from '../helpers.js';
import { defineRule, type RuleContext, type Violation } from '../types.js';

/**
 * A single-column CHECK on a column whose values the document lists in a `-- Values:` comment is the
 * document's way of writing that CHECK; drift-status-values compares those, not this rule.
 */
function coveredByStatusValues(ctx: RuleContext, docTable: TableModel, c: ConstraintModel): boolean {
  if (c.kind !== 'check' || c.columns.length !== 1) return false;
  const entry = docTableFor(ctx, docTable);
  return entry?.statusValues.some((s) => s.column === c.columns[0]) ?? false;
}

export default defineRule({
  id: 'drift-constraint',
  summary: 'primary keys, unique, foreign key and check constraints agree between the sources',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const cmp of comparisons(ctx, { doc: true, database: true })) {
      for (const { left, right, key } of pairedTables(ctx, cmp)) {
        // A markdown column table gives no constraints.
        if (isColumnTableDoc(ctx, cmp, left)) continue;
        const skip = (c: ConstraintModel) => cmp.leftKind === 'doc' && coveredByStatusValues(ctx, left, c);
        const leftSigs = new Set(left.constraints.map(constraintSignature));
        const rightSigs = new Set(right.constraints.map(constraintSignature));
        for (const c of left.constraints) {
          if (rightSigs.has(constraintSignature(c)) || skip(c)) continue;
          out.push({
            rule: 'drift-constraint',
            ...at(locate(ctx, cmp.leftKind, c.loc, left.loc)),
            table: key,
            source: cmp.source,
            message: onlyLeftText(ctx, cmp, `the ${describeConstraint(left, c)}`),
          });
        }
        for (const c of right.constraints) {
          if (leftSigs.has(constraintSignature(c)) || skip(c)) continue;
          out.push({
            rule: 'drift-constraint',
            ...at(locate(ctx, cmp.leftKind, left.loc, c.loc)),
            table: key,
            source: cmp.source,
            message: onlyRightText(
              ctx,
              cmp,
              `the ${describeConstraint(right, c)}`,
              `the schema of \`${key}\``,
            ),
          });
        }
      }
    }
    return out;
  },
});
