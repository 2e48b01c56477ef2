import { docFindings } from '../helpers.js';
import { defineRule } from '../types.js';

/**
 * A table under the DEPRECATED heading that the document does not deprecate is a production table filed in
 * the wrong place: readers skip that section, and tools that trust it would treat a live table as dead.
 */
export default defineRule({
  id: 'doc-misplaced-table',
  summary: 'tables under the DEPRECATED heading are really deprecated',
  defaultSeverity: 'error',
  group: 'doc',
  check: (ctx) =>
    docFindings(
      ctx,
      'doc-misplaced-table',
      (ctx.doc?.tables ?? [])
        .filter((t) => t.section === 'deprecated' && t.deprecation === null)
        .map((t) => ({
          line: t.line,
          column: 1,
          table: t.name,
          message:
            `table \`${t.name}\` sits under the DEPRECATED heading but is not marked deprecated: readers skip ` +
            'that section, so a live table looks dead. Move its entry under PRODUCTION TABLES, or add a ' +
            '**Status:** line saying it is deprecated and what replaces it.',
        })),
    ),
});
