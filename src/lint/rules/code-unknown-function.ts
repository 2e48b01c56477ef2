import { KnownNames, qualified } from '../../code/known-names.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'code-unknown-function',
  summary: 'every function the code calls over RPC is defined by a migration or a repeatable SQL file',
  defaultSeverity: 'error',
  group: 'code',
  check: (ctx) => {
    if (!ctx.code) return [];
    const known = new KnownNames(ctx);
    if (!known.hasFunctions) return [];
    const out: Violation[] = [];
    for (const ref of ctx.code.references) {
      // Calls from embedded SQL and helper arguments are kept only when the project defines them; RPC is judged.
      if (ref.target !== 'function' || (ref.via !== 'supabase-rpc' && ref.via !== 'postgrest-url')) continue;
      if (!known.judged(ref)) continue;
      if (known.functions.has(qualified(ref.schema, ref.name))) continue;
      const prefix = `${ref.schema ?? 'public'}.`;
      const suggestion = known.closest(
        ref.name,
        [...known.functions].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length)),
      );
      out.push({
        rule: 'code-unknown-function',
        file: ref.file,
        line: ref.line,
        column: ref.column,
        ...(suggestion ? { suggestion } : {}),
        message:
          `no migration or repeatable SQL file defines the function \`${ref.name}\`, so this call fails with ` +
          `"function not found" (PostgREST: PGRST202). ` +
          (suggestion ? `Did you mean \`${suggestion}\`? ` : '') +
          'Fix the name, or define the function in schema/.',
      });
    }
    return out;
  },
});
