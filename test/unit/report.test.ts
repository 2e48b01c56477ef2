import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/lint/engine.js';
import { rules } from '../../src/lint/registry.js';
import { formatGithub } from '../../src/report/github.js';
import { formatGitlab } from '../../src/report/gitlab.js';
import { formatJson } from '../../src/report/json.js';
import { formatSarif, SARIF_SCHEMA } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';

const result: CheckResult = {
  findings: [
    {
      rule: 'drift-undocumented-column',
      severity: 'error',
      message:
        'column `vtid_ledger.service` (text) exists in the migrations but DATABASE_SCHEMA.md does not describe it.',
      file: 'DATABASE_SCHEMA.md',
      line: 24,
      column: 1,
      table: 'vtid_ledger',
      source: 'doc/migrations',
    },
    {
      rule: 'type-timestamptz',
      severity: 'warning',
      message: 'column `t.at` is `timestamp without time zone`: use timestamptz,\nplease (100%).',
      file: 'migrations/20250101000000_init.sql',
      line: 7,
      column: 3,
      table: 't',
      suggestion: 'timestamp with time zone',
    },
    {
      rule: 'naming-snake-case',
      severity: 'error',
      message: 'table "VtidLedger" is not snake_case.',
      file: 'migrations/20250101000000_init.sql',
      line: 12,
      column: 1,
      table: 'VtidLedger',
      suggestion: 'vtid_ledger',
    },
  ],
  summary: { errors: 2, warnings: 1, tables: 13, files: 40 },
  baselined: 1,
  suppressed: 0,
};
const clean: CheckResult = {
  findings: [],
  summary: { errors: 0, warnings: 0, tables: 3, files: 1 },
  baselined: 0,
  suppressed: 2,
};

describe('text reporter', () => {
  it('groups by file and ends with a summary line (no colour off a TTY)', () => {
    expect(formatText(result, { color: false })).toMatchInlineSnapshot(`
      "DATABASE_SCHEMA.md
        24:1  error    column \`vtid_ledger.service\` (text) exists in the migrations but DATABASE_SCHEMA.md does not describe it. [doc/migrations]  drift-undocumented-column

      migrations/20250101000000_init.sql
        7:3   warning  column \`t.at\` is \`timestamp without time zone\`: use timestamptz,
                       please (100%).  type-timestamptz
        12:1  error    table "VtidLedger" is not snake_case.  naming-snake-case

      ✖ 3 problems (2 errors, 1 warning): 13 tables in 40 files checked; 1 in the baseline
        each rule is explained, with how to fix it, at https://github.com/dbcanon/dbcanon/blob/main/docs/rules/<rule>.md
      "
    `);
    expect(formatText(clean, { color: false })).toMatchInlineSnapshot(`
      "✔ no problems: 3 tables in 1 file checked; 2 suppressed
      "
    `);
  });

  it('colours severities only when asked', () => {
    expect(formatText(result, { color: true })).toContain('\u001b[31merror');
    expect(formatText(result, { color: false })).not.toContain('\u001b[');
  });
});

describe('json reporter', () => {
  it("prints exactly the contract's document", () => {
    const out = formatJson(result);
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['version', 'findings', 'summary']);
    expect(Object.keys(doc.findings[0])).toEqual([
      'rule',
      'severity',
      'message',
      'file',
      'line',
      'column',
      'table',
    ]);
    expect(Object.keys(doc.findings[1])).toEqual([
      'rule',
      'severity',
      'message',
      'file',
      'line',
      'column',
      'table',
      'suggestion',
    ]);
    expect(out).toMatchInlineSnapshot(`
      "{
        "version": 1,
        "findings": [
          {
            "rule": "drift-undocumented-column",
            "severity": "error",
            "message": "column \`vtid_ledger.service\` (text) exists in the migrations but DATABASE_SCHEMA.md does not describe it.",
            "file": "DATABASE_SCHEMA.md",
            "line": 24,
            "column": 1,
            "table": "vtid_ledger"
          },
          {
            "rule": "type-timestamptz",
            "severity": "warning",
            "message": "column \`t.at\` is \`timestamp without time zone\`: use timestamptz,\\nplease (100%).",
            "file": "migrations/20250101000000_init.sql",
            "line": 7,
            "column": 3,
            "table": "t",
            "suggestion": "timestamp with time zone"
          },
          {
            "rule": "naming-snake-case",
            "severity": "error",
            "message": "table \\"VtidLedger\\" is not snake_case.",
            "file": "migrations/20250101000000_init.sql",
            "line": 12,
            "column": 1,
            "table": "VtidLedger",
            "suggestion": "vtid_ledger"
          }
        ],
        "summary": {
          "errors": 2,
          "warnings": 1,
          "tables": 13,
          "files": 40
        }
      }
      "
    `);
  });
});

describe('sarif reporter', () => {
  const log = JSON.parse(formatSarif(result, { rules, version: '0.1.0' }));

  it('has the SARIF 2.1.0 structure', () => {
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('dbcanon');
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(rules.map((r) => r.id));
    for (const r of driver.rules) {
      expect(typeof r.shortDescription.text).toBe('string');
      expect(['error', 'warning', 'note', 'none']).toContain(r.defaultConfiguration.level);
    }
    for (const res of log.runs[0].results) {
      expect(driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(['error', 'warning']).toContain(res.level);
      expect(typeof res.message.text).toBe('string');
      const loc = res.locations[0].physicalLocation;
      expect(typeof loc.artifactLocation.uri).toBe('string');
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
    }
  });

  it('results snapshot', () => {
    expect(log.runs[0].results).toMatchInlineSnapshot(`
      [
        {
          "level": "error",
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "DATABASE_SCHEMA.md",
                  "uriBaseId": "%SRCROOT%",
                },
                "region": {
                  "startColumn": 1,
                  "startLine": 24,
                },
              },
            },
          ],
          "message": {
            "text": "column \`vtid_ledger.service\` (text) exists in the migrations but DATABASE_SCHEMA.md does not describe it.",
          },
          "partialFingerprints": {
            "dbcanon/v1": "b5d502b6c5520b99",
          },
          "properties": {
            "source": "doc/migrations",
            "table": "vtid_ledger",
          },
          "ruleId": "drift-undocumented-column",
          "ruleIndex": 23,
        },
        {
          "level": "warning",
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "migrations/20250101000000_init.sql",
                  "uriBaseId": "%SRCROOT%",
                },
                "region": {
                  "startColumn": 3,
                  "startLine": 7,
                },
              },
            },
          ],
          "message": {
            "text": "column \`t.at\` is \`timestamp without time zone\`: use timestamptz,
      please (100%).",
          },
          "partialFingerprints": {
            "dbcanon/v1": "1d3a25f17c7c9976",
          },
          "properties": {
            "suggestion": "timestamp with time zone",
            "table": "t",
          },
          "ruleId": "type-timestamptz",
          "ruleIndex": 43,
        },
        {
          "level": "error",
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "migrations/20250101000000_init.sql",
                  "uriBaseId": "%SRCROOT%",
                },
                "region": {
                  "startColumn": 1,
                  "startLine": 12,
                },
              },
            },
          ],
          "message": {
            "text": "table "VtidLedger" is not snake_case.",
          },
          "partialFingerprints": {
            "dbcanon/v1": "1190f98457f9350a",
          },
          "properties": {
            "suggestion": "vtid_ledger",
            "table": "VtidLedger",
          },
          "ruleId": "naming-snake-case",
          "ruleIndex": 36,
        },
      ]
    `);
  });
});

describe('github reporter', () => {
  it('prints one escaped workflow command per finding', () => {
    expect(formatGithub(result)).toMatchInlineSnapshot(`
      "::error file=DATABASE_SCHEMA.md,line=24,col=1,title=dbcanon drift-undocumented-column::column \`vtid_ledger.service\` (text) exists in the migrations but DATABASE_SCHEMA.md does not describe it.
      ::warning file=migrations/20250101000000_init.sql,line=7,col=3,title=dbcanon type-timestamptz::column \`t.at\` is \`timestamp without time zone\`: use timestamptz,%0Aplease (100%25).
      ::error file=migrations/20250101000000_init.sql,line=12,col=1,title=dbcanon naming-snake-case::table "VtidLedger" is not snake_case.
      dbcanon check: 2 errors, 1 warnings (13 tables, 40 files)
      "
    `);
  });
});

describe('what the check read', () => {
  it('text names each source read, and says plainly what it looked for and did not find', () => {
    const out = formatText(
      {
        ...result,
        read: {
          doc: null,
          docPath: 'DATABASE_SCHEMA.md',
          migrations: [
            { folder: 'supabase/migrations', found: true, count: 490 },
            { folder: 'migrations', found: false, count: 0 },
          ],
          repeatables: 2,
          codeFiles: 0,
          codeInclude: ['src/**/*.ts'],
        },
      },
      { color: false },
    );
    expect(out).toContain('read: 490 migrations in supabase/migrations · 2 repeatable SQL files\n');
    expect(out).toContain(
      'not found: DATABASE_SCHEMA.md · the migrations folder migrations · code files matching src/**/*.ts',
    );
  });

  it('JSON carries it as `read`', () => {
    const read = {
      doc: 'DATABASE_SCHEMA.md',
      docPath: 'DATABASE_SCHEMA.md',
      migrations: [{ folder: 'migrations', found: true, count: 3 }],
      repeatables: 0,
      codeFiles: 12,
      codeInclude: ['src/**/*.ts'],
    };
    expect(JSON.parse(formatJson({ ...result, read })).read).toEqual(read);
  });
});

describe('gitlab reporter', () => {
  it('writes GitLab Code Quality issues: check name, severity, path and line, a unique stable fingerprint', () => {
    const issues = JSON.parse(formatGitlab(result));
    expect(
      issues.map((i: { check_name: string; severity: string; location: unknown }) => [
        i.check_name,
        i.severity,
        i.location,
      ]),
    ).toEqual([
      ['dbcanon/drift-undocumented-column', 'major', { path: 'DATABASE_SCHEMA.md', lines: { begin: 24 } }],
      [
        'dbcanon/type-timestamptz',
        'minor',
        { path: 'migrations/20250101000000_init.sql', lines: { begin: 7 } },
      ],
      [
        'dbcanon/naming-snake-case',
        'major',
        { path: 'migrations/20250101000000_init.sql', lines: { begin: 12 } },
      ],
    ]);
    expect(issues[0].description).toBe(result.findings[0]?.message);
    expect(issues[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(issues.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(3);
  });

  it('keeps a fingerprint when lines above move, and tells two findings of one text in one file apart', () => {
    const [first] = result.findings;
    if (!first) throw new Error('fixture');
    const moved = JSON.parse(formatGitlab({ ...result, findings: [{ ...first, line: 99 }] }));
    expect(moved[0].fingerprint).toBe(JSON.parse(formatGitlab(result))[0].fingerprint);
    const twice = JSON.parse(formatGitlab({ ...result, findings: [first, { ...first, line: 30 }] }));
    expect(twice[0].fingerprint).not.toBe(twice[1].fingerprint);
  });
});

describe('one cause, one finding: related places', () => {
  const one: CheckResult = {
    findings: [
      {
        rule: 'migration-external-table',
        severity: 'warning',
        message: '`legacy` is never created by a migration.',
        file: 'm/1.sql',
        line: 2,
        column: 1,
        table: 'legacy',
        related: [
          { file: 'm/2.sql', line: 1, column: 1 },
          { file: 'm/3.sql', line: 4, column: 2, message: 'also here' },
        ],
      },
    ],
    summary: { errors: 0, warnings: 1, tables: 1, files: 3 },
    baselined: 0,
    suppressed: 0,
  };

  it('text counts them, JSON lists them, SARIF gives them as relatedLocations', () => {
    expect(formatText(one, { color: false })).toContain(
      '2:1  warning  `legacy` is never created by a migration. (and 2 other places)  migration-external-table',
    );
    expect(JSON.parse(formatJson(one)).findings[0].related).toEqual(one.findings[0]?.related);
    const sarif = JSON.parse(formatSarif(one, { rules, version: '0.0.0' }));
    expect(sarif.runs[0].results[0].relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: 'm/2.sql', uriBaseId: '%SRCROOT%' },
          region: { startLine: 1, startColumn: 1 },
        },
      },
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'm/3.sql', uriBaseId: '%SRCROOT%' },
          region: { startLine: 4, startColumn: 2 },
        },
        message: { text: 'also here' },
      },
    ]);
    // A finding with no other places has no such field.
    expect(JSON.parse(formatJson(result)).findings[0]).not.toHaveProperty('related');
  });
});

describe('rule documentation links', () => {
  it('SARIF gives each rule a helpUri to its page; a colour terminal links the rule id', () => {
    const sarif = JSON.parse(formatSarif(result, { rules, version: '0.0.0' }));
    for (const r of sarif.runs[0].tool.driver.rules) {
      expect(r.helpUri).toBe(`https://github.com/dbcanon/dbcanon/blob/main/docs/rules/${r.id}.md`);
    }
    expect(formatText(result, { color: true })).toContain(
      '\u001b]8;;https://github.com/dbcanon/dbcanon/blob/main/docs/rules/naming-snake-case.md\u0007',
    );
  });
});
