import { groupByName, groupFinding } from '../../code/known-names.js';
import type { TableReference } from '../../code/table-reference.js';
import { suggestName } from '../../model/suggest.js';
import { plural } from '../../words.js';
import { defineRule, type Violation } from '../types.js';

/**
 * A storage bucket the code uses (`supabase.storage.from('avatars')`) that the migrations never make. Buckets are
 * often made in the dashboard, where dbcanon cannot see them, so a name is reported only when the project
 * evidently makes its buckets in SQL (the migrations make most of the buckets the code names) or when it looks
 * like a misspelling of a bucket the migrations make. Nothing is judged when the migrations make no bucket.
 */
export default defineRule({
  id: 'code-unknown-bucket',
  summary: 'every storage bucket the code uses is made by a migration, where the migrations make buckets',
  defaultSeverity: 'error',
  group: 'code',
  check: (ctx) => {
    const buckets = ctx.migrations.buckets ?? [];
    if (!ctx.code || buckets.length === 0) return [];
    const ids = new Set(buckets.map((b) => b.id));
    const used = ctx.code.references.filter((r) => r.target === 'bucket');
    const unknown = used.filter((r) => !ids.has(r.name));
    const names = new Set(used.map((r) => r.name));
    const made = [...names].filter((n) => ids.has(n)).length;
    const inSql = made > names.size - made;
    const out: Violation[] = [];
    for (const uses of groupByName(unknown)) {
      const ref = uses[0] as TableReference;
      const { at, related, others } = groupFinding(uses, 'used');
      const suggestion = suggestName(ref.name, ids);
      if (!inSql && !suggestion) continue;
      out.push({
        rule: 'code-unknown-bucket',
        ...at,
        ...(suggestion ? { suggestion } : {}),
        ...related,
        message:
          `no migration makes the storage bucket \`${ref.name}\`${others}, though the migrations make ` +
          `${plural(ids.size, 'other bucket')}, so this upload or download fails ("Bucket not found"). ` +
          (suggestion ? `Did you mean \`${suggestion}\`? ` : '') +
          'Fix the name, or insert the bucket into storage.buckets in a migration.',
      });
    }
    return out;
  },
});
