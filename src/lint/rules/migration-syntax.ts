import { defineRule, type Violation } from '../types.js';

/**
 * A migration that does not parse or apply fails half-way in production; its statements also vanish from the
 * model. A file runs in one transaction and stops at its first error, so each file is one finding, at its first
 * problem; the replay's later problems in the same file are related places.
 */
export default defineRule({
  id: 'migration-syntax',
  summary: 'every migration and repeatable SQL file parses and applies',
  defaultSeverity: 'error',
  group: 'migration',
  check: (ctx) => {
    const byFile = new Map<string, (typeof ctx.migrationProblems)[number][]>();
    for (const p of ctx.migrationProblems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
    const out: Violation[] = [];
    for (const problems of byFile.values()) {
      const [first, ...rest] = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
      if (!first) continue;
      const more = rest.length ? ` (${rest.length} more in this file)` : '';
      out.push({
        rule: 'migration-syntax',
        file: first.file,
        line: first.line,
        column: first.column,
        message:
          `${first.message}. The file fails when it is applied${more}, and dbcanon cannot see what it changes. ` +
          'Fix the SQL at this position (try it with `psql -f`).',
        ...(rest.length
          ? {
              related: rest.map((p) => ({
                file: p.file,
                line: p.line,
                column: p.column,
                message: p.message,
              })),
            }
          : {}),
      });
    }
    return out;
  },
});
