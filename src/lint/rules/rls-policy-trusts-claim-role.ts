import { deparse } from '../../sql/expr.js';
import { parseExpression } from '../../sql/parser.js';
import {
  at,
  functionLabel,
  functionLocation,
  isOwnSchema,
  locate,
  policyLocation,
  securityModel,
} from '../helpers.js';
import { bodyRoleClaimDecisions, mentionsRole, roleClaimDecisions } from '../role-claim.js';
import { defineRule, type Violation } from '../types.js';

const WHY =
  'the claim is a setting, not an identity. PostgREST switches into the role the JWT names, so the database ' +
  'role already says who is calling; the claim can also be set by any session that runs SQL as another role (a ' +
  "direct connection, or a function that calls `set_config('request.jwt.claims', …)`), which then passes the " +
  'test without being that role. Through the API alone a client cannot set it, so this is hardening, not an open ' +
  'door.';

/**
 * An authorisation decision on the JWT's role claim (src/lint/role-claim.ts lists the spellings) in a policy's
 * USING / WITH CHECK or in a function body. Only uses count: a function that merely defines `auth.role()`, or
 * reads the claim to record it, decides nothing. Supabase's own schemas (`auth`, `storage`, …) are not judged.
 * Splinter has no counterpart (its 0015 `rls_references_user_metadata` is the nearest: another claim a policy
 * must not trust).
 */
export default defineRule({
  id: 'rls-policy-trusts-claim-role',
  summary: 'policies and functions decide on the database role, not on the JWT role claim',
  // A warning: through PostgREST alone nobody can set the claim, so on a typical Supabase project a finding is
  // hardening (on vitana-platform, 27 findings, all classified debatable; docs/corpus-samples/2026-12-03.tsv).
  defaultSeverity: 'warn',
  strictSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const model = securityModel(ctx);
    const out: Violation[] = [];
    for (const p of model.policies) {
      if (!isOwnSchema(p.schema)) continue;
      const decisions = [p.using, p.withCheck].flatMap((text) => {
        if (!mentionsRole(text)) return [];
        try {
          return roleClaimDecisions(parseExpression(text));
        } catch {
          return [];
        }
      });
      if (decisions.length === 0) continue;
      const table = p.schema === 'public' ? p.table : `${p.schema}.${p.table}`;
      out.push({
        rule: 'rls-policy-trusts-claim-role',
        ...at(locate(ctx, 'migrations', policyLocation(ctx, p))),
        table,
        message:
          `policy "${p.name}" on \`${table}\` decides on the JWT role claim (\`${deparse(decisions[0], true)}\`): ` +
          `${WHY} Name the role in the policy instead (\`create policy … to service_role\`, or ` +
          '`to authenticated`), or compare `current_user`.',
      });
    }
    for (const f of model.functions) {
      if (!isOwnSchema(f.schema)) continue;
      const decisions = bodyRoleClaimDecisions(f);
      if (decisions.length === 0) continue;
      out.push({
        rule: 'rls-policy-trusts-claim-role',
        ...at(locate(ctx, 'migrations', functionLocation(ctx, f))),
        message:
          `function \`${functionLabel(f)}\` decides on the JWT role claim ` +
          `(\`${deparse(decisions[0], true)}\`): ${WHY} Compare the database role instead ` +
          "(`current_user = 'service_role'`), or grant the function only to the roles that may call it.",
      });
    }
    return out;
  },
});
