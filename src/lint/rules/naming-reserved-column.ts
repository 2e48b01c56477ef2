import { tableKey } from '../../model/schema-model.js';
import { at, conventionModel, locate, ownTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/** Names ORMs reserve (SQLAlchemy's declarative `metadata`, `type` everywhere): 004's convention. */
const RESERVED = new Set(['metadata', 'type']);

export default defineRule({
  id: 'naming-reserved-column',
  summary: 'no column is named metadata or type (strict)',
  defaultSeverity: 'off',
  strictSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const t of ownTables(conventionModel(ctx))) {
      const singular = t.name.replace(/s$/, '');
      for (const c of t.columns) {
        if (!RESERVED.has(c.name)) continue;
        const suggestion = `${singular}_${c.name}`;
        out.push({
          rule: 'naming-reserved-column',
          ...at(locate(ctx, 'migrations', c.loc, t.loc)),
          table: tableKey(t),
          suggestion,
          message:
            `column \`${tableKey(t)}.${c.name}\` uses a reserved name: ORMs (SQLAlchemy's declarative base, ` +
            `many TypeScript models) claim \`${c.name}\` for themselves, so the column cannot be mapped by name. ` +
            `Rename it, e.g. to \`${suggestion}\`.`,
        });
      }
    }
    return out;
  },
});
