import { listedExternal, presentExternalTables } from '../../model/external.js';
import { tableKey } from '../../model/schema-model.js';
import { onlyLeftText } from '../drift.js';
import { at, comparisons, isDeprecatedInDoc, locate } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'drift-missing-table',
  summary: 'every documented table exists in the migrations (and every migrated table in the database)',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const cmp of comparisons(ctx, { doc: true, database: true })) {
      // A table the migrations touch but leave to be made elsewhere exists; migration-external-table says so
      // once. So does one the config lists as made elsewhere.
      const present = new Set(
        [...cmp.right.tables, ...presentExternalTables(cmp.right)].map((t) => `${t.schema}.${t.name}`),
      );
      const listed = (key: string) => {
        const dot = key.indexOf('.');
        return listedExternal(ctx.config, key.slice(0, dot), key.slice(dot + 1));
      };
      const reported = new Set<string>();
      const report = (key: string, name: string, loc: { file: string; line: number; column: number }) => {
        if (present.has(key) || reported.has(key) || (cmp.leftKind === 'doc' && listed(key))) return;
        reported.add(key);
        out.push({
          rule: 'drift-missing-table',
          ...at(loc),
          table: name,
          source: cmp.source,
          message: onlyLeftText(ctx, cmp, `table \`${name}\``),
        });
      };
      if (cmp.leftKind === 'doc') {
        // Entries without a schema block count too; those with one are in cmp.left. Deprecated entries
        // describe what must not exist.
        for (const t of ctx.doc?.tables ?? []) {
          if (t.deprecation || t.schema) continue;
          const key = t.name.includes('.') ? t.name : `public.${t.name}`;
          report(key, t.name, { file: ctx.doc?.file ?? ctx.config.doc, line: t.line, column: 1 });
        }
      }
      for (const t of cmp.left.tables) {
        if (cmp.leftKind === 'doc' && isDeprecatedInDoc(ctx, t)) continue;
        report(`${t.schema}.${t.name}`, tableKey(t), locate(ctx, cmp.leftKind, t.loc));
      }
    }
    return out;
  },
});
