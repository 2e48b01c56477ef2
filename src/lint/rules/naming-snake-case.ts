import { tableKey } from '../../model/schema-model.js';
import { at, conventionModel, isOwnSchema, locate, ownTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

const SNAKE = /^[a-z_][a-z0-9_]*$/;

/** `VtidLedger` → `vtid_ledger`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * Mixed-case names must be double-quoted in every query forever; unquoted, Postgres folds them to lower case
 * and finds another table or none (the VtidLedger/vtid_ledger split).
 */
export default defineRule({
  id: 'naming-snake-case',
  summary: 'tables, columns and indexes are named in snake_case',
  defaultSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    const model = conventionModel(ctx);
    const why =
      'a mixed-case or punctuated name must be double-quoted in every query, and unquoted references silently ' +
      'fold to lower case and miss it';
    for (const t of ownTables(model)) {
      if (!SNAKE.test(t.name)) {
        out.push({
          rule: 'naming-snake-case',
          ...at(locate(ctx, 'migrations', t.loc)),
          table: tableKey(t),
          suggestion: toSnakeCase(t.name),
          message: `table "${t.name}" is not snake_case: ${why}. Rename it to \`${toSnakeCase(t.name)}\`.`,
        });
      }
      for (const c of t.columns) {
        if (SNAKE.test(c.name)) continue;
        out.push({
          rule: 'naming-snake-case',
          ...at(locate(ctx, 'migrations', c.loc, t.loc)),
          table: tableKey(t),
          suggestion: toSnakeCase(c.name),
          message: `column "${c.name}" of \`${tableKey(t)}\` is not snake_case: ${why}. Rename it to \`${toSnakeCase(c.name)}\`.`,
        });
      }
    }
    for (const i of model.indexes) {
      if (!isOwnSchema(i.schema) || SNAKE.test(i.name)) continue;
      out.push({
        rule: 'naming-snake-case',
        ...at(locate(ctx, 'migrations', i.loc)),
        table: i.table,
        suggestion: toSnakeCase(i.name),
        message: `index "${i.name}" is not snake_case: ${why}. Rename it to \`${toSnakeCase(i.name)}\`.`,
      });
    }
    return out;
  },
});
