import { tableKey } from '../../model/schema-model.js';
import { at, hasMigrations, locate } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/**
 * Supabase/PostgREST expose every table of `public` to the `anon` and `authenticated` roles; without RLS, a grant
 * is all it takes to read or change every row. An application that reaches its database only as the tables'
 * owner has no such exposure (and the owner bypasses RLS anyway): there the rule says nothing (`ctx.api`).
 */
export default defineRule({
  id: 'rls-enabled',
  summary: 'every table in the public schema has row-level security enabled',
  defaultSeverity: 'warn',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    // Documents rarely show their RLS statements; only what the migrations do says whether RLS is on.
    if (!hasMigrations(ctx) || !ctx.api.exposed) return out;
    for (const t of ctx.migrations.tables) {
      if (t.schema !== 'public' || t.rlsEnabled) continue;
      out.push({
        rule: 'rls-enabled',
        ...at(locate(ctx, 'migrations', t.loc)),
        table: tableKey(t),
        message:
          `table \`${tableKey(t)}\` does not enable row-level security: PostgREST/Supabase expose \`public\` to ` +
          'the API roles, so any grant opens every row. Add `alter table ' +
          `${tableKey(t)} enable row level security;\` and its policies in policies/${t.name}.sql.`,
      });
    }
    return out;
  },
});
