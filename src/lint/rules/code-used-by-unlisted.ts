import path from 'node:path';
import { isDeprecated, KnownNames, usedByPath } from '../../code/known-names.js';
import type { TableReference } from '../../code/table-reference.js';
import type { DocTable } from '../../doc/doc-model.js';
import { plural } from '../../words.js';
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

/**
 * The files an entry's "Used by" names, the ways documents write them: paths; bare file names (`shop-feed.ts`,
 * also in a note: "(+ `universal-cart.ts` attribution)"), which name every file of that name; and "Same as
 * `other_table`", which names that entry's files.
 */
function listedFiles(
  doc: DocTable,
  all: readonly DocTable[],
  seen = new Set<DocTable>(),
): { paths: Set<string>; names: Set<string> } {
  const paths = new Set<string>();
  const names = new Set<string>();
  seen.add(doc);
  for (const u of doc.usedBy) {
    const same = /^same\s+as\s+`?([\w.]+)`?/i.exec(u.path);
    const other = same ? all.find((t) => t.name === same[1]) : undefined;
    if (other && !seen.has(other)) {
      const inner = listedFiles(other, all, seen);
      for (const p of inner.paths) paths.add(p);
      for (const n of inner.names) names.add(n);
      continue;
    }
    const path = usedByPath(u);
    if (path.includes('/')) paths.add(path);
    else if (u.isFile) names.add(path);
    for (const m of (u.note ?? '').matchAll(/`([^`/\s]+\.[A-Za-z0-9]{1,5})`/g)) names.add(m[1] as string);
  }
  return { paths, names };
}

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
    const listed = new Map<DocTable, ReturnType<typeof listedFiles>>();
    const lists = (doc: DocTable, file: string) => {
      let l = listed.get(doc);
      if (!l) {
        l = listedFiles(doc, ctx.doc?.tables ?? []);
        listed.set(doc, l);
      }
      return l.paths.has(file) || l.names.has(path.posix.basename(file));
    };
    for (const ref of ctx.code.references) {
      // Repeatable SQL (policies, triggers) touches every table it governs; "Used by" lists the application.
      if (ref.target !== 'table' || ref.via === 'sql-file' || isTestFile(ref.file)) continue;
      const doc = known.table(ref)?.doc;
      if (!doc || isDeprecated(doc)) continue;
      if (lists(doc, ref.file)) continue;
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
