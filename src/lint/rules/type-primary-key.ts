import { findColumn, tableKey } from '../../model/schema-model.js';
import { at, conventionModel, locate, ownTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

const STRING_OR_UUID = /^(text|uuid|character varying(\(\d+\))?)$/;

/**
 * 004's convention: keys are strings or UUIDs, generated anywhere without a round trip, never integers from a
 * sequence (which leak row counts and collide when databases are merged).
 */
export default defineRule({
  id: 'type-primary-key',
  summary: 'every table has a primary key of type text, varchar or uuid (strict)',
  defaultSeverity: 'off',
  strictSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const t of ownTables(conventionModel(ctx))) {
      const pk = t.constraints.find((c) => c.kind === 'primary_key');
      if (!pk) {
        out.push({
          rule: 'type-primary-key',
          ...at(locate(ctx, 'migrations', t.loc)),
          table: tableKey(t),
          message:
            `table \`${tableKey(t)}\` has no primary key: rows cannot be addressed one by one, and logical ` +
            'replication refuses updates. Add `id uuid primary key default gen_random_uuid()`.',
        });
        continue;
      }
      for (const name of pk.columns) {
        const c = findColumn(t, name);
        if (!c || STRING_OR_UUID.test(c.type)) continue;
        out.push({
          rule: 'type-primary-key',
          ...at(locate(ctx, 'migrations', c.loc, pk.loc, t.loc)),
          table: tableKey(t),
          suggestion: 'uuid',
          message:
            `primary key column \`${tableKey(t)}.${c.name}\` is \`${c.type}\`: sequential numbers leak row counts ` +
            'and collide when data from two databases meets. Use `uuid default gen_random_uuid()` (or a text key).',
        });
      }
    }
    return out;
  },
});
