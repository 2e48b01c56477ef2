import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/doc-encoding.js';
import { brief, context, DOC, doc, run } from './context.js';

describe('doc-encoding', () => {
  it('valid: no mojibake', () => {
    expect(run(rule, context({ doc: doc([]) }))).toEqual([]);
  });

  it('invalid: each mis-decoded run, with the repair and the command that applies it', () => {
    const d = doc([], {
      mojibake: [
        { line: 6, column: 4, found: 'ðŸ”’', repaired: '🔒', encoding: 'windows-1252', guessed: false },
        { line: 300, column: 4, found: 'ðŸ”', repaired: '🔍', encoding: 'windows-1252', guessed: true },
      ],
    });
    const findings = run(rule, context({ doc: d }));
    expect(brief(findings)).toEqual([`${DOC}:6 doc-encoding`, `${DOC}:300 doc-encoding`]);
    expect(findings[0]?.message).toContain('Windows-1252');
    expect(findings[0]?.message).toContain('dbcanon doc fmt --fix-encoding');
    expect(findings[1]?.message).toContain('likeliest');
  });
});
