import { at, conventionModel, isOwnSchema, locate } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/** `ix_` for plain b-tree indexes, `idx_` for special ones (GIN, GiST, composite): 004's convention. */
export default defineRule({
  id: 'naming-index-prefix',
  summary: 'index names start with ix_ (plain) or idx_ (GIN, composite, other special indexes) (strict)',
  defaultSeverity: 'off',
  strictSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const i of conventionModel(ctx).indexes) {
      // Indexes behind PRIMARY KEY / UNIQUE constraints are named by the constraint.
      if (i.constraintBacked || !isOwnSchema(i.schema)) continue;
      if (i.name.startsWith('ix_') || i.name.startsWith('idx_')) continue;
      const special = i.method !== 'btree' || i.columns.length > 1;
      const suggestion = `${special ? 'idx' : 'ix'}_${i.name.replace(/^(index|idx|ix)_?/, '')}`;
      out.push({
        rule: 'naming-index-prefix',
        ...at(locate(ctx, 'migrations', i.loc)),
        table: i.table,
        suggestion,
        message:
          `index \`${i.name}\` has neither the ix_ nor the idx_ prefix: the prefix tells a reader of a query plan ` +
          `that it is an index and what kind. Rename it to \`${suggestion}\` (ALTER INDEX … RENAME TO).`,
      });
    }
    return out;
  },
});
