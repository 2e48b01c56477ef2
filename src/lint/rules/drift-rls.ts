import { isBookkeepingTable } from '../drift.js';
import { at, comparisons, locate, pairedTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

const state = (enabled: boolean, forced: boolean) =>
  enabled ? (forced ? 'enabled and forced' : 'enabled') : 'disabled';

/** Row-level security switched off by hand opens every row of the table to every role that has a grant. */
export default defineRule({
  id: 'drift-rls',
  summary: "a table's row-level security flags in the database are those the migrations and policies set",
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    // The document does not describe RLS; the flags are compared between the files and the live database.
    for (const cmp of comparisons(ctx, { doc: false, database: true })) {
      for (const { left, right, key } of pairedTables(ctx, cmp)) {
        if (isBookkeepingTable(ctx, left)) continue;
        if (left.rlsEnabled === right.rlsEnabled && left.rlsForced === right.rlsForced) continue;
        const want = state(left.rlsEnabled, left.rlsForced);
        const have = state(right.rlsEnabled, right.rlsForced);
        const opened = left.rlsEnabled && !right.rlsEnabled;
        out.push({
          rule: 'drift-rls',
          ...at(locate(ctx, cmp.leftKind, left.loc)),
          table: key,
          source: cmp.source,
          message:
            `row-level security of \`${key}\` is ${want} in ${cmp.leftName} but ${have} in the database` +
            (opened ? ': every role with a grant now sees and changes every row' : '') +
            '. Run `dbcanon migrate up` to re-apply the policies/ files, or write a migration if the change is meant.',
        });
      }
    }
    return out;
  },
});
