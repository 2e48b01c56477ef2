import { isDeprecated, KnownNames, usedByPath } from '../../code/known-names.js';
import type { TableReference } from '../../code/table-reference.js';
import type { DocTable } from '../../doc/doc-model.js';
import { defineRule, type Violation } from '../types.js';

/**
 * Test code (a mocked fetch of `/rest/v1/vtid_ledger`, a fixture) uses tables too, but "Used by" lists the
 * application: tests are not expected there.
 */
export function isTestFile(file: string): boolean {
  return (
    /(^|\/)(__tests__|__mocks__|__fixtures__|tests?|spec|e2e|fixtures)\//.test(file) ||
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(file)
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A documented table used by files its "Used by" does not list. The cause is one list that is incomplete, so
 * it is one finding per table, at the table's entry in the document, with each unlisted file's first use as a
 * related place.
 */
export default defineRule({
  id: 'code-used-by-unlisted',
  summary: 'every file that references a documented table is in that table\'s "Used by"',
  defaultSeverity: 'warn',
  group: 'code',
  check: (ctx) => {
    if (!ctx.code || !ctx.doc) return [];
    const known = new KnownNames(ctx);
    const unlisted = new Map<DocTable, Map<string, TableReference>>();
    for (const ref of ctx.code.references) {
      // Repeatable SQL (policies, triggers) touches every table it governs; "Used by" lists the application.
      if (ref.target !== 'table' || ref.via === 'sql-file' || isTestFile(ref.file)) continue;
      const doc = known.table(ref)?.doc;
      if (!doc || isDeprecated(doc)) continue;
      if (doc.usedBy.some((u) => usedByPath(u) === ref.file)) continue;
      const files = unlisted.get(doc) ?? new Map<string, TableReference>();
      const prev = files.get(ref.file);
      if (!prev || ref.line < prev.line) files.set(ref.file, ref);
      unlisted.set(doc, files);
    }
    const out: Violation[] = [];
    for (const [doc, files] of unlisted) {
      const refs = [...files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
      // At the entry's heading: the place a `<!-- dbcanon-ignore -->` comment can go above without ending a list.
      const line = doc.line;
      const names = refs.slice(0, 3).map((r) => `\`${r.file}\``);
      const more = refs.length > 3 ? ` and ${refs.length - 3} more` : '';
      out.push({
        rule: 'code-used-by-unlisted',
        file: ctx.doc.file,
        line,
        column: 1,
        table: doc.name,
        related: refs.map((r) => ({
          file: r.file,
          line: r.line,
          column: r.column,
          message: `${r.kind === 'write' ? 'writes' : r.kind === 'read' ? 'reads' : 'uses'} \`${doc.name}\``,
        })),
        message:
          `${plural(refs.length, 'file')} use${refs.length === 1 ? 's' : ''} \`${doc.name}\` but ${refs.length === 1 ? 'is' : 'are'} not in its ` +
          `"Used by" (${names.join(', ')}${more}), so a migration of the table would miss ${refs.length === 1 ? 'it' : 'them'}. ` +
          `Add ${refs.length === 1 ? 'it' : 'them'} there.`,
      });
    }
    return out;
  },
});
