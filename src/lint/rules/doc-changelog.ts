import { docFindings } from '../helpers.js';
import { defineRule } from '../types.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The change log is how a reader learns when a table appeared; a bad date or order makes it lie. */
export default defineRule({
  id: 'doc-changelog',
  summary: 'change log rows have ISO dates, a description, and are in date order',
  defaultSeverity: 'warn',
  group: 'doc',
  check: (ctx) => {
    const derived = [];
    let previous = null as string | null;
    for (const e of ctx.doc?.changelog ?? []) {
      if (!ISO_DATE.test(e.date) || Number.isNaN(Date.parse(e.date))) {
        derived.push({
          line: e.line,
          column: 1,
          message:
            `change log date \`${e.date}\` is not a YYYY-MM-DD date, so the log cannot be read in order. ` +
            'Write the date as YYYY-MM-DD.',
        });
        continue;
      }
      if (e.change.trim() === '') {
        derived.push({
          line: e.line,
          column: 1,
          message: `change log row of ${e.date} says nothing about the change. Describe what changed.`,
        });
      }
      if (previous !== null && e.date < previous) {
        derived.push({
          line: e.line,
          column: 1,
          message:
            `change log row of ${e.date} comes after a row of ${previous}: rows out of order hide the latest ` +
            'change. Move it so that dates go from oldest to newest.',
        });
      }
      previous = previous === null || e.date > previous ? e.date : previous;
    }
    return docFindings(ctx, 'doc-changelog', derived);
  },
});
