import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/doc-required-sections.js';
import { brief, context, DOC, doc, docTable, run } from './context.js';

describe('doc-required-sections', () => {
  it('valid: both sections, and every live table with purpose, users and schema', () => {
    const d = doc([
      docTable('a', 10),
      docTable('Old', 40, {
        section: 'deprecated',
        purpose: null,
        usedBy: [],
        schema: null,
        deprecation: { reason: null, replacement: 'a', line: 41 },
      }),
    ]);
    expect(run(rule, context({ doc: d }))).toEqual([]);
  });

  it('invalid: a missing change log and a table without purpose or schema', () => {
    const d = doc([docTable('a', 10, { purpose: null, schema: null })], {
      sections: [{ key: 'production-tables', heading: 'PRODUCTION TABLES', line: 3 }],
    });
    const findings = run(rule, context({ doc: d }));
    expect(brief(findings)).toEqual([`${DOC}:1 doc-required-sections`, `${DOC}:10 doc-required-sections a`]);
    expect(findings[0]?.message).toContain('## CHANGE LOG');
    expect(findings[1]?.message).toContain('**Purpose:**, **Schema:**');
  });

  it('invalid: no document at all', () => {
    const findings = run(rule, context({ doc: null }));
    expect(brief(findings)).toEqual([`${DOC}:1 doc-required-sections`]);
    expect(findings[0]?.message).toContain('does not exist');
  });
});
