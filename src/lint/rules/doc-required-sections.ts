import type { DocTable } from '../../doc/doc-model.js';
import { docFindings } from '../helpers.js';
import type { Violation } from '../types.js';
import { defineRule } from '../types.js';

/** Sections a canonical schema document cannot do without: where tables live, and what changed when. */
const REQUIRED_SECTIONS: { key: string; heading: string }[] = [
  { key: 'production-tables', heading: 'PRODUCTION TABLES' },
  { key: 'change-log', heading: 'CHANGE LOG' },
];

/** What every live table entry must say (the document's own "Adding a new table" checklist). */
function missingParts(t: DocTable): string[] {
  const missing: string[] = [];
  if (!t.purpose) missing.push('**Purpose:**');
  if (t.usedBy.length === 0) missing.push('**Used by:**');
  if (!t.schema) missing.push('**Schema:**');
  return missing;
}

export default defineRule({
  id: 'doc-required-sections',
  summary:
    'the document has its PRODUCTION TABLES and CHANGE LOG sections, and each table its purpose, users and schema',
  defaultSeverity: 'error',
  group: 'doc',
  check: (ctx) => {
    const doc = ctx.doc;
    if (!doc) {
      const v: Violation = {
        rule: 'doc-required-sections',
        file: ctx.config.doc,
        line: 1,
        column: 1,
        message:
          `the canonical schema document \`${ctx.config.doc}\` does not exist, so nothing says which tables ` +
          'are meant to exist. Create it (one `### table` entry per table with Purpose, Used by and Schema), or ' +
          'point "doc" in dbcanon.config.json at it.',
      };
      return [v];
    }
    const derived = [];
    for (const s of REQUIRED_SECTIONS) {
      if (doc.sections.some((x) => x.key === s.key)) continue;
      derived.push({
        line: 1,
        column: 1,
        message:
          `the document has no \`## ${s.heading}\` section: ${s.key === 'change-log' ? 'without it nobody can tell when a table changed and why' : 'without it there is no list of live tables to check the code against'}. ` +
          `Add a \`## ${s.heading}\` heading.`,
      });
    }
    for (const t of doc.tables) {
      if (t.deprecation) continue;
      const missing = missingParts(t);
      if (missing.length === 0) continue;
      derived.push({
        line: t.line,
        column: 1,
        table: t.name,
        message:
          `table \`${t.name}\` has no ${missing.join(', ')} part: an entry without it cannot tell a reader (or ` +
          'dbcanon) what the table is for, who uses it, or what it holds. Add the missing part under the heading.',
      });
    }
    return docFindings(ctx, 'doc-required-sections', derived);
  },
});
