/**
 * Where SQL decides on the JWT's role claim: a comparison (`=`, `<>`, `IN`, `= ANY`, `IS DISTINCT FROM`, `LIKE`,
 * `CASE <claim> WHEN`) with the role claim on one side, in any of its spellings: `auth.role()`,
 * `auth.jwt() ->> 'role'`, `current_setting('request.jwt.claims', …)::json ->> 'role'`,
 * `current_setting('request.jwt.claim.role', …)`, or a PL/pgSQL variable assigned one of those. Reading the claim
 * without comparing it (logging it, returning it, `auth.role()`'s own definition) is no decision. The role under
 * `app_metadata` (`auth.jwt() -> 'app_metadata' ->> 'role'`) is another claim, which only the server sets.
 */
import type { PgNode } from '../sql/parser.js';
import { bodyPieces, nameParts, type RoutineSource, walkTree } from '../sql/routine-body.js';

const COMPARISONS = new Set(['=', '<>', '!=']);
const COMPARING_KINDS = new Set([
  'AEXPR_OP_ANY',
  'AEXPR_OP_ALL',
  'AEXPR_IN',
  'AEXPR_DISTINCT',
  'AEXPR_NOT_DISTINCT',
  'AEXPR_LIKE',
  'AEXPR_ILIKE',
]);
/** Functions that pass their first argument's value through for a comparison. */
const PASS_THROUGH = new Set(['lower', 'upper', 'btrim', 'trim', 'ltrim', 'rtrim']);

const stringConst = (n: PgNode): string | undefined => {
  let e = n;
  while (e?.TypeCast) e = e.TypeCast.arg;
  const v = e?.A_Const?.sval?.sval;
  return typeof v === 'string' ? v : undefined;
};

function funcName(n: PgNode): { schema: string | null; name: string } | null {
  const parts = nameParts(n?.FuncCall?.funcname);
  const name = parts[parts.length - 1];
  if (!name) return null;
  return { schema: parts.length > 1 ? (parts[parts.length - 2] ?? null) : null, name };
}

/** The one expression of a `SELECT <expr>` without FROM, else undefined. */
function scalarSelect(node: PgNode): PgNode {
  const s = node?.SelectStmt;
  if (!s || s.fromClause || s.targetList?.length !== 1) return undefined;
  return s.targetList[0]?.ResTarget?.val;
}

/** PL/pgSQL variables assigned the role claim, and those assigned all the claims (`v := auth.jwt()`). */
export interface ClaimVariables {
  roles: ReadonlySet<string>;
  claims: ReadonlySet<string>;
}

const NO_VARIABLES: ClaimVariables = { roles: new Set(), claims: new Set() };

/** The single name of a plain column reference (a PL/pgSQL variable in a body), else undefined. */
function variableName(n: PgNode): string | undefined {
  const fields = n?.ColumnRef?.fields;
  if (fields?.length !== 1) return undefined;
  return nameParts(fields)[0];
}

function unwrap(node: PgNode): PgNode {
  let n = node;
  for (;;) {
    if (n?.TypeCast) n = n.TypeCast.arg;
    else if (n?.CoalesceExpr) n = n.CoalesceExpr.args?.[0];
    else if (n?.A_Expr?.kind === 'AEXPR_NULLIF') n = n.A_Expr.lexpr;
    else if (n?.SubLink?.subLinkType === 'EXPR_SUBLINK' && scalarSelect(n.SubLink.subselect)) {
      // `(select auth.role())`, as Supabase advises writing it in policies so that it is evaluated once.
      n = scalarSelect(n.SubLink.subselect);
    } else if (n?.FuncCall && PASS_THROUGH.has(funcName(n)?.name ?? '') && n.FuncCall.args?.length) {
      n = n.FuncCall.args[0];
    } else return n;
  }
}

const isCurrentSetting = (n: PgNode) => {
  const f = funcName(n);
  return f?.name === 'current_setting' && (f.schema === null || f.schema === 'pg_catalog');
};

/** `auth.jwt()`, or the claims setting PostgREST writes (`request.jwt.claims`, older `request.jwt.claim`). */
export function isClaims(node: PgNode, variables: ClaimVariables = NO_VARIABLES): boolean {
  const n = unwrap(node);
  const v = variableName(n);
  if (v !== undefined) return variables.claims.has(v);
  const f = funcName(n);
  if (f?.name === 'jwt' && f.schema === 'auth') return true;
  if (isCurrentSetting(n)) {
    const setting = stringConst(n.FuncCall.args?.[0]);
    return setting === 'request.jwt.claims' || setting === 'request.jwt.claim';
  }
  return false;
}

/** The role claim itself, in one of its spellings (see the header), or a variable holding it. */
export function isRoleClaim(node: PgNode, variables: ClaimVariables = NO_VARIABLES): boolean {
  const n = unwrap(node);
  if (!n) return false;
  const v = variableName(n);
  if (v !== undefined) return variables.roles.has(v);
  const f = funcName(n);
  if (f?.name === 'role' && f.schema === 'auth' && !n.FuncCall.args?.length) return true;
  if (isCurrentSetting(n) && stringConst(n.FuncCall.args?.[0]) === 'request.jwt.claim.role') return true;
  const e = n.A_Expr;
  if (e?.kind === 'AEXPR_OP') {
    const op = nameParts(e.name)[0];
    const key = stringConst(e.rexpr);
    if ((op === '->>' || op === '->') && key === 'role') return isClaims(e.lexpr, variables);
    if ((op === '#>>' || op === '#>') && key?.replace(/\s/g, '') === '{role}')
      return isClaims(e.lexpr, variables);
  }
  return false;
}

/** `''` or NULL: comparing the claim with these asks whether it is there, not which role it names. */
function isEmptyValue(node: PgNode): boolean {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  return n?.A_Const?.isnull === true || stringConst(n) === '';
}

/** The comparisons under `node` that decide on the role claim (the nodes, for their text). */
export function roleClaimDecisions(node: PgNode, variables: ClaimVariables = NO_VARIABLES): PgNode[] {
  const out: PgNode[] = [];
  walkTree(node, (n) => {
    const e = n.A_Expr;
    if (e) {
      const comparing =
        (e.kind === 'AEXPR_OP' && COMPARISONS.has(nameParts(e.name)[0] ?? '')) || COMPARING_KINDS.has(e.kind);
      if (!comparing) return;
      const claimLeft = isRoleClaim(e.lexpr, variables);
      const claimRight = !claimLeft && isRoleClaim(e.rexpr, variables);
      if ((claimLeft || claimRight) && !isEmptyValue(claimLeft ? e.rexpr : e.lexpr)) out.push(n);
    } else if (n.CaseExpr?.arg && isRoleClaim(n.CaseExpr.arg, variables)) out.push(n);
  });
  return out;
}

/**
 * True when `text` may hold the role claim: `role(` (auth.role()), `'role'` (->> 'role'), `claim.role`, `{role}`.
 * Every spelling the rule knows has one of these, so a text without them need not be parsed.
 */
export function mentionsRole(text: string | null | undefined): text is string {
  return text != null && /role\s*\(|'role'|claim\.role|\{\s*role\s*\}/i.test(text);
}

/** The role-claim decisions in a function body (its SQL, and PL/pgSQL's expressions and variables). */
export function bodyRoleClaimDecisions(f: RoutineSource): PgNode[] {
  // A body that cannot hold the claim is not parsed at all, which keeps a history of hundreds of PL/pgSQL
  // functions cheap.
  if (!mentionsRole(f.body) && !mentionsRole(f.standardBody)) return [];
  const pieces = bodyPieces(f);
  if (pieces.length === 0) return [];
  // Variables the claims or the role claim are assigned to: `v := auth.role()`, `v text := …` in DECLARE,
  // `select auth.role() into v`; claims first, so that `r := v_claims ->> 'role'` is seen in either order.
  const assignments: { to: string; value: PgNode }[] = [];
  for (const p of pieces) {
    if (p.assignedTo && p.expression) assignments.push({ to: p.assignedTo, value: p.expression });
    const s = p.stmt.SelectStmt;
    const into = s?.intoClause?.rel?.relname;
    if (into && s.targetList?.length === 1)
      assignments.push({ to: into, value: s.targetList[0]?.ResTarget?.val });
  }
  const claims = new Set<string>();
  const roles = new Set<string>();
  const variables: ClaimVariables = { roles, claims };
  for (const a of assignments) if (isClaims(a.value)) claims.add(a.to);
  for (const a of assignments) if (isRoleClaim(a.value, variables)) roles.add(a.to);
  return pieces.flatMap((p) => roleClaimDecisions(p.stmt, variables));
}
