import { docFindings } from '../helpers.js';
import { defineRule } from '../types.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The rows to keep in place: the longest run of rows (not necessarily adjacent) already in date order, oldest
 * to newest or newest to oldest, whichever keeps more (oldest first on a tie). Every other row is out of order.
 * Two misplaced rows at the top of a long log are then two findings, not one for every row after them.
 * Among equally long runs, the earlier rows are kept: the later one is the one that moved.
 */
export function rowsInOrder(dates: readonly string[]): { kept: Set<number>; newestFirst: boolean } {
  const run = (inOrder: (a: string, b: string) => boolean) => {
    const length = dates.map(() => 1);
    const previous: number[] = dates.map(() => -1);
    for (let i = 0; i < dates.length; i++) {
      for (let j = 0; j < i; j++) {
        if (
          inOrder(dates[j] as string, dates[i] as string) &&
          (length[j] as number) + 1 > (length[i] as number)
        ) {
          length[i] = (length[j] as number) + 1;
          previous[i] = j;
        }
      }
    }
    const best = Math.max(0, ...length);
    const kept = new Set<number>();
    for (let i = length.indexOf(best); i >= 0 && best > 0; i = previous[i] as number) kept.add(i);
    return kept;
  };
  const oldestFirst = run((a, b) => a <= b);
  const newestFirst = run((a, b) => a >= b);
  return newestFirst.size > oldestFirst.size
    ? { kept: newestFirst, newestFirst: true }
    : { kept: oldestFirst, newestFirst: false };
}

/** The change log is how a reader learns when a table appeared; a bad date or order makes it lie. */
export default defineRule({
  id: 'doc-changelog',
  summary: 'change log rows have ISO dates, a description, and are in date order',
  defaultSeverity: 'warn',
  group: 'doc',
  check: (ctx) => {
    const derived = [];
    const dated: { date: string; line: number }[] = [];
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
      dated.push({ date: e.date, line: e.line });
    }
    const { kept, newestFirst } = rowsInOrder(dated.map((d) => d.date));
    const order = newestFirst ? 'newest to oldest' : 'oldest to newest';
    dated.forEach((row, i) => {
      if (kept.has(i)) return;
      // The nearest kept row above says where the reader expected a different date.
      const above = [...kept].filter((k) => k < i).sort((a, b) => b - a)[0];
      const below = [...kept].filter((k) => k > i).sort((a, b) => a - b)[0];
      const neighbour = above !== undefined ? dated[above] : below !== undefined ? dated[below] : undefined;
      derived.push({
        line: row.line,
        column: 1,
        message:
          `change log row of ${row.date} is out of order: the rest of the log goes ${order}` +
          (neighbour
            ? ` and this row sits ${above !== undefined ? 'after' : 'before'} a row of ${neighbour.date}`
            : '') +
          ', so a reader looking for the latest change misses it. Move the row to its place by date.',
      });
    });
    return docFindings(ctx, 'doc-changelog', derived);
  },
});
