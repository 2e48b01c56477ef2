import { existsSync } from 'node:fs';
import path from 'node:path';
import { docFile, fileEntries, functionTables, looseName, usedByPath } from '../../code/known-names.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'code-used-by-stale',
  summary: 'every file a table\'s "Used by" names still references that table',
  defaultSeverity: 'error',
  group: 'code',
  check: (ctx) => {
    if (!ctx.code || !ctx.doc) return [];
    // Only files the scanner read can be judged: one it never looked at is not known to be stale.
    const scanned = new Set(ctx.code.files ?? ctx.code.references.map((r) => r.file));
    // A file uses a table by naming it, or by calling a SQL function that reads or writes it.
    const throughFunctions = functionTables(ctx);
    const uses = new Set<string>();
    for (const r of ctx.code.references) {
      if (r.target === 'table') uses.add(`${r.file}\0${looseName(r.name)}`);
      else for (const t of throughFunctions.get(r.name) ?? []) uses.add(`${r.file}\0${t}`);
    }
    // The ORM schema file that declares a table (schema.prisma, a Drizzle schema module) is rightly listed too.
    for (const t of ctx.orm.tables) if (t.loc) uses.add(`${t.loc.file}\0${looseName(t.name)}`);
    const out: Violation[] = [];
    for (const t of ctx.doc.tables) {
      const bare = t.name.includes('.') ? t.name.slice(t.name.lastIndexOf('.') + 1) : t.name;
      for (const u of fileEntries(t)) {
        const p = usedByPath(u);
        if (!scanned.has(p) || !existsSync(path.join(ctx.root, p))) continue;
        if (uses.has(`${p}\0${looseName(bare)}`)) continue;
        out.push({
          rule: 'code-used-by-stale',
          file: docFile(ctx),
          line: u.line,
          column: 1,
          table: t.name,
          message:
            `"Used by" of \`${t.name}\` lists \`${p}\`, but that file no longer references the table (nor calls ` +
            'a SQL function that does), so the ' +
            'list misleads whoever checks who a migration affects. Remove the line (or restore the use).',
        });
      }
    }
    return out;
  },
});
