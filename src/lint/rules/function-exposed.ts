import type { FunctionModel } from '../../model/schema-model.js';
import { bodyCalls } from '../../sql/routine-body.js';
import { at, functionLabel, functionLocation, listText, locate, securityModel } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/**
 * A SECURITY DEFINER function runs with its owner's rights. In a schema the API exposes, PostgREST serves every
 * function the API roles may execute as `/rest/v1/rpc/<name>`. For a function that is the API, that is the
 * point; for an internal helper, which trusts its callers to have checked who is asking, it lets anyone skip
 * those checks. A function is internal when another function of the project calls it, or when its comment
 * says so (it starts with "Internal" or holds `@internal`). Splinter's 0028
 * `anon_security_definer_function_executable` and 0029 `authenticated_security_definer_function_executable`
 * report every such function; this rule reports the internal ones, which need no judgement. Only the live
 * database shows grants (Postgres and Supabase grant EXECUTE to PUBLIC and the API roles by default): offline
 * this rule is silent.
 */
export default defineRule({
  id: 'function-exposed',
  summary: 'no internal SECURITY DEFINER function is executable by the API roles in an exposed schema',
  defaultSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const model = securityModel(ctx);
    const exposed = new Set(ctx.config.apiSchemas);
    const candidates = model.functions.filter(
      (f) =>
        f.securityDefiner &&
        exposed.has(f.schema) &&
        (f.executableBy?.length ?? 0) > 0 &&
        // PostgREST cannot call a trigger function; Postgres refuses to run one outside its trigger.
        f.returns !== 'trigger' &&
        f.returns !== 'event_trigger',
    );
    if (candidates.length === 0) return [];
    const callers = callersByName(model.functions, new Set(candidates.map((f) => f.name)));
    const out: Violation[] = [];
    for (const f of candidates) {
      const calledBy = (callers.get(f.name) ?? [])
        .filter(
          (c) => c.caller !== f && (c.schema === null || c.schema === f.schema) && fitsArguments(f, c.args),
        )
        .map((c) => `${c.caller.schema}.${c.caller.name}`);
      const internalComment = isInternalComment(f.comment);
      if (calledBy.length === 0 && !internalComment) continue;
      const why = [
        ...(calledBy.length > 0 ? [`it is called by ${listText([...new Set(calledBy)].sort())}`] : []),
        ...(internalComment ? ['its comment marks it internal'] : []),
      ].join(' and ');
      const name = functionLabel(f);
      out.push({
        rule: 'function-exposed',
        ...at(locate(ctx, 'migrations', functionLocation(ctx, f))),
        message:
          `function \`${name}\` is SECURITY DEFINER in the API schema \`${f.schema}\` and ` +
          `${listText(f.executableBy ?? [])} may execute it, but it is internal (${why}): the API serves it as ` +
          `\`/rest/v1/rpc/${f.name}\`, so any caller can run it directly with its owner's rights and skip the ` +
          'checks of the functions meant to call it. Revoke it from the API roles ' +
          `(\`revoke execute on function ${name} from public, anon, authenticated\`; default privileges grant ` +
          'new functions to them again, so do it where it is created), or move it to a schema that is not in ' +
          '`apiSchemas` (e.g. `private`).',
      });
    }
    return out;
  },
});

interface Call {
  caller: FunctionModel;
  schema: string | null;
  args: number;
}

/**
 * Every call of one of `names` in every function body, by the called name. Only bodies whose text holds one of
 * the names are parsed (a call always spells the name; the parse then tells a call from a string or comment).
 */
function callersByName(functions: readonly FunctionModel[], names: ReadonlySet<string>): Map<string, Call[]> {
  const out = new Map<string, Call[]>();
  const wanted = [...names].map((n) => n.toLowerCase());
  const mentions = (text: string | null | undefined) => {
    const lower = text?.toLowerCase();
    return lower !== undefined && wanted.some((n) => lower.includes(n));
  };
  for (const caller of functions) {
    if (!mentions(caller.body) && !mentions(caller.standardBody)) continue;
    for (const c of bodyCalls(caller)) {
      if (!names.has(c.name)) continue;
      const list = out.get(c.name);
      const call = { caller, schema: c.schema, args: c.args };
      if (list) list.push(call);
      else out.set(c.name, [call]);
    }
  }
  return out;
}

/**
 * Whether a call with `args` arguments can be a call of `f`: not more than its input parameters (fewer when
 * some have defaults), any number for a VARIADIC one. A built-in or another schema's function of the same name
 * and another arity is not `f`.
 */
function fitsArguments(f: FunctionModel, args: number): boolean {
  const params = f.identityArgs.trim() === '' ? [] : f.identityArgs.split(/,(?![^()]*\))/);
  if (params.some((p) => /^\s*VARIADIC\s/i.test(p))) return true;
  return args <= params.filter((p) => !/^\s*OUT\s/i.test(p)).length;
}

/** A comment that starts with "Internal" or holds `@internal`. */
export function isInternalComment(comment: string | null | undefined): boolean {
  if (!comment) return false;
  return /^\s*internal\b/i.test(comment) || /@internal\b/i.test(comment);
}
