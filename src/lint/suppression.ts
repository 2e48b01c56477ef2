/**
 * Suppression comments. A finding is dropped when the line above it is a `dbcanon-ignore` comment naming its
 * rule: `-- dbcanon-ignore <rule-id>` (SQL), `// dbcanon-ignore <rule-id>` (TypeScript) or
 * `<!-- dbcanon-ignore <rule-id> -->` (markdown). Every syntax is accepted in every file, because SQL sits inside
 * markdown code blocks and in TypeScript template strings. Several ids may be listed (comma or space separated);
 * text after the ids is the reason, which reviewers should insist on.
 */

import path from 'node:path';
import { type FileTexts, readText } from '../io/file-texts.js';
import type { Finding } from './types.js';

const COMMENT = /^\s*(?:--|\/\/|<!--)\s*dbcanon-ignore\b(.*)$/;
const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;

/** Rule ids a suppression comment line names, or null when the line is not one. */
export function parseSuppression(line: string): string[] | null {
  const m = COMMENT.exec(line);
  if (!m) return null;
  const ids: string[] = [];
  for (const token of (m[1] ?? '').replace(/-->\s*$/, '').split(/[\s,]+/)) {
    if (token === '') continue;
    const id = token.replace(/[:;.]$/, '');
    if (!RULE_ID.test(id)) break;
    ids.push(id);
    // `rule-id: reason` — what follows the colon is the reason, even if it looks like an id.
    if (id !== token) break;
  }
  return ids;
}

/** True when `lines[line - 2]` (the line above the 1-based `line`) suppresses `rule`. */
export function isSuppressed(lines: readonly string[], line: number, rule: string): boolean {
  const above = lines[line - 2];
  if (above === undefined) return false;
  return parseSuppression(above)?.includes(rule) ?? false;
}

/**
 * Drops suppressed findings. Files are read once each; a finding in a file that cannot be read (a database-only
 * object, a path that no longer exists) is kept.
 */
export async function applySuppressions(
  root: string,
  findings: Finding[],
  texts?: FileTexts,
): Promise<Finding[]> {
  // Each file with a finding, once: from the run's texts (the migrations it already read), else from disk. The
  // run read what it checked, so the lines are the ones the findings point at.
  const lines = new Map<string, string[] | null>();
  for (const f of findings) {
    if (!f.file || lines.has(f.file)) continue;
    try {
      lines.set(f.file, readText(path.resolve(root, f.file), texts).split(/\r?\n/));
    } catch {
      lines.set(f.file, null);
    }
  }
  return findings.filter((f) => {
    const text = f.file ? lines.get(f.file) : null;
    return !(text && isSuppressed(text, f.line, f.rule));
  });
}
