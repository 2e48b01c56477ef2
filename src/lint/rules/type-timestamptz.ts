import { tableKey } from '../../model/schema-model.js';
import { at, conventionModel, locate, ownTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/** A timestamp without time zone stores wall-clock time; the same instant reads differently per session. */
export default defineRule({
  id: 'type-timestamptz',
  summary: 'timestamps are timestamp with time zone',
  defaultSeverity: 'warn',
  strictSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const t of ownTables(conventionModel(ctx))) {
      for (const c of t.columns) {
        if (!/^timestamp(\(\d\))? without time zone(\[\])?$/.test(c.type)) continue;
        const suggestion = c.type.replace('without', 'with');
        out.push({
          rule: 'type-timestamptz',
          ...at(locate(ctx, 'migrations', c.typeLoc ?? c.loc, t.loc)),
          table: tableKey(t),
          suggestion,
          message:
            `column \`${tableKey(t)}.${c.name}\` is \`${c.type}\`: it stores a wall-clock time without an offset, ` +
            `so one instant reads differently from sessions in different time zones. Use \`${suggestion}\` ` +
            '(timestamptz).',
        });
      }
    }
    return out;
  },
});
