/**
 * The GitLab Code Quality reporter: a JSON array of issues (`description`, `check_name`, `fingerprint`, `severity`,
 * `location.path` and `location.lines.begin`), the subset of the Code Climate format GitLab reads from a job's
 * `artifacts:reports:codequality` file and shows in the merge request widget and diff.
 *
 * GitLab tells new issues from old ones by fingerprint, and shows one issue per fingerprint: the fingerprint is
 * the baseline's line-independent one (rule, file, table and message), so an issue survives edits above it, with
 * a counter appended when one file holds several findings of the same text.
 */
import { createHash } from 'node:crypto';
import { fingerprint } from '../lint/baseline.js';
import type { CheckResult } from '../lint/engine.js';
import { ruleDocUrl } from './rule-docs.js';

export function formatGitlab(result: CheckResult): string {
  const seen = new Map<string, number>();
  const issues = result.findings.map((f) => {
    const key = [f.rule, f.file, f.table ?? '', fingerprint(f)].join('\u0000');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return {
      description: f.message,
      check_name: `dbcanon/${f.rule}`,
      fingerprint: createHash('sha256').update(`${key}\u0000${n}`).digest('hex').slice(0, 32),
      // GitLab's scale is info, minor, major, critical, blocker: an error fails the check, so it ranks major.
      severity: f.severity === 'error' ? 'major' : 'minor',
      location: { path: f.file, lines: { begin: f.line } },
      // Read by people following the widget's link text; GitLab ignores fields it does not know.
      url: ruleDocUrl(f.rule),
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
