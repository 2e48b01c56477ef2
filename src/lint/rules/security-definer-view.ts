import { at, listText, locate, viewLocation } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/**
 * A view runs its query with its owner's rights unless it is created `with (security_invoker = true)`
 * (PostgreSQL 15); a materialized view always holds what its owner could read. Where the API roles may select
 * from it in an exposed schema, it hands every row its query reaches to every caller, whatever the row-level
 * security of the tables under it says. Splinter's 0010 `security_definer_view` and 0016
 * `materialized_view_in_api`. Only the live database shows views and their grants: offline this rule is silent.
 */
export default defineRule({
  id: 'security-definer-view',
  summary: 'no view the API roles can read runs with its owner’s rights',
  defaultSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    const exposed = new Set(ctx.config.apiSchemas);
    for (const v of ctx.database?.views ?? []) {
      if (!exposed.has(v.schema) || !v.selectableBy?.length) continue;
      if (!v.materialized && v.securityInvoker) continue;
      const name = `${v.schema}.${v.name}`;
      const roles = listText(v.selectableBy ?? []);
      const message = v.materialized
        ? `materialized view \`${name}\` in the API schema \`${v.schema}\` can be read by ${roles}: it holds ` +
          'what its owner could read when it was refreshed, and row-level security does not apply to it, so every ' +
          `caller of the API sees every row. Revoke it (\`revoke select on ${name} from public, anon, ` +
          'authenticated`) and serve it through a view or function that filters by the caller, or move it to a ' +
          'schema that is not in `apiSchemas`.'
        : `view \`${name}\` in the API schema \`${v.schema}\` can be read by ${roles} and runs with its owner's ` +
          'rights (it is not `security_invoker`): the row-level security of the tables it reads is checked for ' +
          'its owner, not for the caller, so every caller of the API sees every row its query reaches. Run it ' +
          `with the caller's rights (\`alter view ${name} set (security_invoker = true)\`), or revoke it from ` +
          `the API roles (\`revoke select on ${name} from public, anon, authenticated\`).`;
      out.push({
        rule: 'security-definer-view',
        ...at(locate(ctx, 'migrations', viewLocation(ctx, v))),
        table: v.schema === 'public' ? v.name : name,
        message,
      });
    }
    return out;
  },
});
