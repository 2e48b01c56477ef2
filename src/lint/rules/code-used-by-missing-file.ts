import { existsSync } from 'node:fs';
import path from 'node:path';
import { docFile, fileEntries, usedByPath } from '../../code/known-names.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'code-used-by-missing-file',
  summary: 'every file a table\'s "Used by" names exists',
  defaultSeverity: 'error',
  group: 'code',
  check: (ctx) => {
    // Like every code rule, silent when the scanner did not run: "Used by" is a claim about the code.
    if (!ctx.code || !ctx.doc) return [];
    const out: Violation[] = [];
    for (const t of ctx.doc.tables) {
      for (const u of fileEntries(t)) {
        const p = usedByPath(u);
        if (existsSync(path.join(ctx.root, p))) continue;
        out.push({
          rule: 'code-used-by-missing-file',
          file: docFile(ctx),
          line: u.line,
          column: 1,
          table: t.name,
          message:
            `"Used by" of \`${t.name}\` names \`${p}\`, which does not exist (moved or deleted?), so nobody can ` +
            'tell from the document who uses the table. Fix the path or remove the line.',
        });
      }
    }
    return out;
  },
});
