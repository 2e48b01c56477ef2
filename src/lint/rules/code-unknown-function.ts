import { groupByName, groupFinding, KnownNames, qualified } from '../../code/known-names.js';
import type { TableReference } from '../../code/table-reference.js';
import { defineRule, type Violation } from '../types.js';

/**
 * An RPC to a function no SQL here defines: one finding per name, at its first call, the other calls related.
 * As with tables, when the migrations show that tables are made elsewhere (so functions may be too), only a
 * name that looks like a misspelling of a known function is reported.
 */
export default defineRule({
  id: 'code-unknown-function',
  summary: 'every function the code calls over RPC is defined by a migration or a repeatable SQL file',
  defaultSeverity: 'error',
  group: 'code',
  check: (ctx) => {
    if (!ctx.code) return [];
    const known = new KnownNames(ctx);
    if (!known.hasFunctions) return [];
    const complete = known.complete;
    const unknown = ctx.code.references.filter(
      (ref) =>
        // Calls from embedded SQL and helper arguments are kept only when the project defines them; RPC is judged.
        ref.target === 'function' &&
        (ref.via === 'supabase-rpc' || ref.via === 'postgrest-url') &&
        known.judged(ref) &&
        !known.functions.has(qualified(ref.schema, ref.name)),
    );
    const out: Violation[] = [];
    for (const calls of groupByName(unknown)) {
      const ref = calls[0] as TableReference;
      const { at, related, others } = groupFinding(calls, 'called');
      const prefix = `${ref.schema ?? 'public'}.`;
      const suggestion = known.closest(
        ref.name,
        [...known.functions].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length)),
      );
      if (!suggestion && !complete) continue;
      out.push({
        rule: 'code-unknown-function',
        ...at,
        ...(suggestion ? { suggestion } : {}),
        ...related,
        message:
          `no migration or repeatable SQL file defines the function \`${ref.name}\`${others}, so this call fails with ` +
          `"function not found" (PostgREST: PGRST202). ` +
          (suggestion ? `Did you mean \`${suggestion}\`? ` : '') +
          'Fix the name, or define the function in schema/.',
      });
    }
    return out;
  },
});
