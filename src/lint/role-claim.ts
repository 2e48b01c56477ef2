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

function unwrap(node: PgNode): PgNode {
  let n = node;
  for (;;) {
    if (n?.TypeCast) n = n.TypeCast.arg;
    else if (n?.CoalesceExpr) n = n.CoalesceExpr.args?.[0];
    else if (n?.A_Expr?.kind === 'AEXPR_NULLIF') n = n.A_Expr.lexpr;
    else if (n?.FuncCall && PASS_THROUGH.has(funcName(n)?.name ?? '') && n.FuncCall.args?.length) {
      n = n.FuncCall.args[0];
    } else return n;
  }
}

const isCurrentSetting = (n: PgNode) => {
  const f = funcName(n);
  return f?.name === 'current_setting' && (f.schema === null || f.schema === 'pg_catalog');
};

/** `auth.jwt()`, or the claims setting PostgREST writes (`request.jwt.claims`, older `request.jwt.claim`). */
function isClaims(node: PgNode): boolean {
  const n = unwrap(node);
  const f = funcName(n);
  if (f?.name === 'jwt' && f.schema === 'auth') return true;
  if (isCurrentSetting(n)) {
    const setting = stringConst(n.FuncCall.args?.[0]);
    return setting === 'request.jwt.claims' || setting === 'request.jwt.claim';
  }
  return false;
}

/** The role claim itself, in one of its spellings (see the header), or a variable holding it. */
export function isRoleClaim(node: PgNode, variables: ReadonlySet<string> = new Set()): boolean {
  const n = unwrap(node);
  if (!n) return false;
  const f = funcName(n);
  if (f?.name === 'role' && f.schema === 'auth' && !n.FuncCall.args?.length) return true;
  if (isCurrentSetting(n) && stringConst(n.FuncCall.args?.[0]) === 'request.jwt.claim.role') return true;
  const e = n.A_Expr;
  if (e?.kind === 'AEXPR_OP') {
    const op = nameParts(e.name)[0];
    const key = stringConst(e.rexpr);
    if ((op === '->>' || op === '->') && key === 'role') return isClaims(e.lexpr);
    if ((op === '#>>' || op === '#>') && key?.replace(/\s/g, '') === '{role}') return isClaims(e.lexpr);
  }
  const fields = nameParts(n.ColumnRef?.fields);
  return n.ColumnRef?.fields?.length === 1 && fields.length === 1 && variables.has(fields[0] as string);
}

/** The comparisons under `node` that decide on the role claim (the nodes, for their text). */
export function roleClaimDecisions(node: PgNode, variables: ReadonlySet<string> = new Set()): PgNode[] {
  const out: PgNode[] = [];
  walkTree(node, (n) => {
    const e = n.A_Expr;
    if (e) {
      const comparing =
        (e.kind === 'AEXPR_OP' && COMPARISONS.has(nameParts(e.name)[0] ?? '')) || COMPARING_KINDS.has(e.kind);
      if (comparing && (isRoleClaim(e.lexpr, variables) || isRoleClaim(e.rexpr, variables))) out.push(n);
    } else if (n.CaseExpr?.arg && isRoleClaim(n.CaseExpr.arg, variables)) out.push(n);
  });
  return out;
}

/** The role-claim decisions in a function body (its SQL, and PL/pgSQL's expressions and variables). */
export function bodyRoleClaimDecisions(f: RoutineSource): PgNode[] {
  const pieces = bodyPieces(f);
  if (pieces.length === 0) return [];
  // Variables the claim is assigned to: `v := auth.role()`, `v text := …` in DECLARE, `select auth.role() into v`.
  const variables = new Set<string>();
  for (const p of pieces) {
    if (p.assignedTo && p.expression && isRoleClaim(p.expression)) variables.add(p.assignedTo);
    const s = p.stmt.SelectStmt;
    const into = s?.intoClause?.rel?.relname;
    if (into && s.targetList?.length === 1 && isRoleClaim(s.targetList[0]?.ResTarget?.val))
      variables.add(into);
  }
  return pieces.flatMap((p) => roleClaimDecisions(p.stmt, variables));
}
