/**
 * Every rule has a page in docs/rules/<id>.md (the URL SARIF's helpUri and the terminal link point at), every
 * page documents a registered rule, and every page has the sections a user looks for, with the rule's own
 * summary, group and severities, so a changed rule cannot leave its page behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/lint/registry.js';
import type { RuleMeta } from '../../src/lint/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCS = path.join(ROOT, 'docs/rules');

const SECTIONS = [
  '## What it reports',
  '## Why it matters',
  '## How to fix',
  '## Example',
  '## Suppressing',
  '## Counterparts',
];

/** What a rule's page lacks or gets wrong; empty when the page is complete. */
function pageProblems(rule: RuleMeta, text: string): string[] {
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  if (lines[0] !== `# ${rule.id}`) problems.push(`first line is not "# ${rule.id}"`);
  const summary = lines.slice(1).find((l) => l.trim() !== '');
  if (summary !== rule.summary) problems.push(`the line under the title is not the rule's summary`);
  if (!text.includes(`**Group:** \`${rule.group}\``)) problems.push(`no **Group:** \`${rule.group}\``);
  const severity = lines.find((l) => l.includes('**Default severity:**')) ?? '';
  if (!severity.includes(`\`${rule.defaultSeverity}\``)) {
    problems.push(`**Default severity:** does not say \`${rule.defaultSeverity}\``);
  }
  if (
    rule.strictSeverity !== undefined &&
    rule.strictSeverity !== rule.defaultSeverity &&
    !(severity.includes('strict') && severity.includes(`\`${rule.strictSeverity}\``))
  ) {
    problems.push(`**Default severity:** does not give \`${rule.strictSeverity}\` under strict`);
  }
  if (!text.includes('**Sources:**')) problems.push('no **Sources:**');
  let from = 0;
  for (const heading of SECTIONS) {
    const at = lines.indexOf(heading, from);
    if (at < 0) problems.push(`no "${heading}" section after the previous one`);
    else from = at + 1;
  }
  if (!text.includes(`"rules": { "${rule.id}": "off" }`)) {
    problems.push(`Suppressing does not show "rules": { "${rule.id}": "off" }`);
  }
  return problems;
}

const pages = readdirSync(DOCS)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((f) => f.slice(0, -'.md'.length));
const ruleFiles = readdirSync(path.join(ROOT, 'src/lint/rules'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length));
const page = (id: string) => readFileSync(path.join(DOCS, `${id}.md`), 'utf8');

describe('rule documentation (docs/rules)', () => {
  it('every registered rule and every rule file has a page', () => {
    const ids = new Set([...rules.map((r) => r.id), ...ruleFiles]);
    expect([...ids].filter((id) => !pages.includes(id)).sort()).toEqual([]);
  });

  it('every page documents a registered rule', () => {
    const ids = new Set(rules.map((r) => r.id));
    expect(pages.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('every page has the title, summary, group, severities, sources and sections, in order', () => {
    const wrong = rules
      .filter((r) => pages.includes(r.id))
      .flatMap((r) => pageProblems(r, page(r.id)).map((p) => `${r.id}.md: ${p}`));
    expect(wrong).toEqual([]);
  });

  it('the index lists every rule, linked to its page, with its summary', () => {
    const rows = readFileSync(path.join(DOCS, 'README.md'), 'utf8').split(/\r?\n/);
    const row = (id: string) => rows.find((l) => l.startsWith(`| [\`${id}\`](${id}.md) |`)) ?? '';
    expect(
      rules.filter((r) => !row(r.id).includes(r.summary.replace(/\|/g, '\\|'))).map((r) => r.id),
    ).toEqual([]);
  });

  it('a page without a section, or with another severity, is caught', () => {
    const rule = rules.find((r) => r.id === 'type-timestamptz') as RuleMeta;
    const text = page(rule.id);
    expect(pageProblems(rule, text)).toEqual([]);
    expect(pageProblems(rule, text.replace('## Counterparts', '## See also'))).toEqual([
      'no "## Counterparts" section after the previous one',
    ]);
    expect(pageProblems({ ...rule, strictSeverity: 'off' }, text)).toEqual([
      '**Default severity:** does not give `off` under strict',
    ]);
    expect(pageProblems({ ...rule, summary: 'something else' }, text)).toEqual([
      "the line under the title is not the rule's summary",
    ]);
  });
});
