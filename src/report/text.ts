/**
 * The human reporter: findings grouped by file (in path order), each as `line:column  severity  message  rule`,
 * and a summary line at the end. Colours only when the output is a terminal, so logs and pipes stay clean.
 */
import type { CheckResult } from '../lint/engine.js';
import type { Finding } from '../lint/types.js';
import { plural } from '../words.js';
import { RULE_DOCS, ruleDocUrl } from './rule-docs.js';

export interface TextOptions {
  color: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** The rule id; on a colour terminal also a link (OSC 8) to its documentation. */
function ruleId(color: boolean, id: string): string {
  const dim = paint(color, '2', id);
  return color ? `\u001b]8;;${ruleDocUrl(id)}\u0007${dim}\u001b]8;;\u0007` : dim;
}

export function formatText(result: CheckResult, options: TextOptions): string {
  const c = options.color;
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = groups.get(f.file) ?? [];
    list.push(f);
    groups.set(f.file, list);
  }
  const lines: string[] = [];
  for (const [file, findings] of groups) {
    lines.push(paint(c, '4', file));
    const where = findings.map((f) => `${f.line}:${f.column}`);
    const width = Math.max(...where.map((w) => w.length));
    findings.forEach((f, i) => {
      const severity = f.severity === 'error' ? paint(c, '31', 'error  ') : paint(c, '33', 'warning');
      const source = f.source ? ` [${f.source}]` : '';
      // One cause, one finding: its other places are counted here (listed in JSON and SARIF).
      const others = f.related?.length ? ` (and ${plural(f.related.length, 'other place')})` : '';
      // Continuation lines of a multi-line message line up under its first line.
      const message = f.message.replace(/\n/g, `\n${' '.repeat(width + 13)}`);
      lines.push(
        `  ${paint(c, '2', (where[i] ?? '').padEnd(width))}  ${severity}  ${message}${others}${source}  ${ruleId(c, f.rule)}`,
      );
    });
    lines.push('');
  }
  lines.push(...readLines(result, c));
  const { errors, warnings, tables, files } = result.summary;
  const problems = errors + warnings;
  const scope = `${plural(tables, 'table')} in ${plural(files, 'file')} checked`;
  const extras = [
    result.suppressed > 0 ? `${result.suppressed} suppressed` : '',
    result.baselined > 0 ? `${result.baselined} in the baseline` : '',
  ].filter(Boolean);
  const tail = extras.length > 0 ? `; ${extras.join(', ')}` : '';
  if (problems === 0) {
    lines.push(`${paint(c, '32', '✔')} no problems: ${scope}${tail}`);
  } else {
    const mark = errors > 0 ? paint(c, '31', '✖') : paint(c, '33', '⚠');
    lines.push(
      `${mark} ${plural(problems, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}): ${scope}${tail}`,
      `  each rule is explained, with how to fix it, at ${RULE_DOCS}/<rule>.md`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * What the check read, and what it looked for and did not find: a check that found nothing because it read
 * nothing must say so ("0 tables in 1 file checked" does not).
 */
function readLines(result: CheckResult, c: boolean): string[] {
  const r = result.read;
  if (!r) return [];
  const read: string[] = [];
  const missing: string[] = [];
  if (r.doc) read.push(r.doc);
  else missing.push(r.docPath);
  for (const m of r.migrations) {
    if (!m.found) missing.push(`the migrations folder ${m.folder}`);
    else read.push(`${plural(m.count, 'migration')} in ${m.folder}`);
  }
  if (r.repeatables > 0) read.push(plural(r.repeatables, 'repeatable SQL file'));
  if (r.codeFiles > 0) read.push(plural(r.codeFiles, 'code file'));
  else missing.push(`code files matching ${r.codeInclude.join(', ') || '(no code.include)'}`);
  const out = [`${paint(c, '2', 'read:')} ${read.join(' · ') || 'nothing'}`];
  if (missing.length > 0) {
    out.push(
      `${paint(c, '33', 'not found:')} ${missing.join(' · ')} (see "Configuration" in the README, or run \`dbcanon init\`)`,
    );
  }
  return out;
}
