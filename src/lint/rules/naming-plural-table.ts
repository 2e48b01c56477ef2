import { tableKey } from '../../model/schema-model.js';
import { at, conventionModel, locate, ownTables } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/** Plurals that do not end in a plain `s`. */
const IRREGULAR_PLURALS = new Set([
  'data',
  'people',
  'children',
  'men',
  'women',
  'media',
  'criteria',
  'indices',
]);

export function isPlural(word: string): boolean {
  if (IRREGULAR_PLURALS.has(word)) return true;
  return /s$/.test(word) && !/(ss|us|is)$/.test(word);
}

export function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** One naming rule for every table lets readers guess names instead of looking them up (004's convention). */
export default defineRule({
  id: 'naming-plural-table',
  summary: 'table names end in a plural noun (strict)',
  defaultSeverity: 'off',
  strictSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const t of ownTables(conventionModel(ctx))) {
      const words = t.name.split('_');
      const last = words.at(-1) ?? '';
      if (last === '' || isPlural(last)) continue;
      const suggestion = [...words.slice(0, -1), pluralize(last)].join('_');
      out.push({
        rule: 'naming-plural-table',
        ...at(locate(ctx, 'migrations', t.loc)),
        table: tableKey(t),
        suggestion,
        message:
          `table \`${tableKey(t)}\` is not named in the plural: with one convention for every table, code can ` +
          `guess a name instead of looking it up. Rename it to \`${suggestion}\`.`,
      });
    }
    return out;
  },
});
