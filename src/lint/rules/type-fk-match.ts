import { findColumn, findTable, tableKey } from '../../model/schema-model.js';
import { at, conventionModel, locate, ownTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/** A foreign key whose type differs from the key it references needs a cast on every join and hides bugs. */
export default defineRule({
  id: 'type-fk-match',
  summary: 'a foreign key column has the type of the column it references',
  defaultSeverity: 'warn',
  strictSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    const model = conventionModel(ctx);
    for (const t of ownTables(model)) {
      for (const fk of t.constraints) {
        if (fk.kind !== 'foreign_key' || !fk.references) continue;
        const parent = findTable(
          model,
          tableKey({ schema: fk.references.schema, name: fk.references.table }),
        );
        if (!parent) continue;
        fk.columns.forEach((name, i) => {
          const child = findColumn(t, name);
          const parentName = fk.references?.columns[i];
          const parentCol = parentName === undefined ? undefined : findColumn(parent, parentName);
          if (!child || !parentCol || child.type === parentCol.type) return;
          out.push({
            rule: 'type-fk-match',
            ...at(locate(ctx, 'migrations', child.loc, fk.loc, t.loc)),
            table: tableKey(t),
            suggestion: parentCol.type,
            message:
              `foreign key column \`${tableKey(t)}.${name}\` is \`${child.type}\` but references ` +
              `\`${tableKey(parent)}.${parentCol.name}\`, which is \`${parentCol.type}\`: every join needs a cast ` +
              `and values that fit one side may not fit the other. Make it \`${parentCol.type}\`.`,
          });
        });
      }
    }
    return out;
  },
});
