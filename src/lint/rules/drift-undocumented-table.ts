import { tableKey } from '../../model/schema-model.js';
import { isBookkeepingTable, onlyRightText } from '../drift.js';
import { at, comparisons, isOwnSchema, locate } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

const keyOfName = (name: string) => (name.includes('.') ? name : `public.${name}`);

export default defineRule({
  id: 'drift-undocumented-table',
  summary: 'every table the migrations create is documented (and every table in the database is migrated)',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const cmp of comparisons(ctx, { doc: true, database: true })) {
      const declared = new Set(cmp.left.tables.map((t) => `${t.schema}.${t.name}`));
      // A table the document names without a schema block (or deprecates) is still documented.
      if (cmp.leftKind === 'doc') for (const t of ctx.doc?.tables ?? []) declared.add(keyOfName(t.name));
      for (const t of cmp.right.tables) {
        if (!isOwnSchema(t.schema) || isBookkeepingTable(ctx, t)) continue;
        if (declared.has(`${t.schema}.${t.name}`)) continue;
        out.push({
          rule: 'drift-undocumented-table',
          ...at(locate(ctx, cmp.rightKind, t.loc)),
          table: tableKey(t),
          source: cmp.source,
          message: onlyRightText(ctx, cmp, `table \`${tableKey(t)}\``, 'a new `### ' + t.name + '` entry'),
        });
      }
    }
    return out;
  },
});
