import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prefilter } from '../../src/code/prefilter.js';

const spec = { fixed: ['from(', 'rpc('], quoted: ['get_user', 'Mixed$Case1', 'auth.uid', 'two words'] };
const filter = new Prefilter(spec);
const match = (text: string) => filter.matches(Buffer.from(text));

/** The plain definition: any fixed substring, or any name in any of the three quotes. */
function naive(text: string): boolean {
  const quoted = spec.quoted.flatMap((n) => [`'${n}'`, `"${n}"`, `\`${n}\``]);
  return [...spec.fixed, ...quoted].some((t) => text.includes(t));
}

describe('the byte prefilter', () => {
  it('finds a fixed substring, or a known name between a pair of the same quote', () => {
    expect(match('supabase.from("x")')).toBe(true);
    expect(match("db.call('get_user')")).toBe(true);
    expect(match('const q = `get_user`;')).toBe(true);
    expect(match('"Mixed$Case1"')).toBe(true);
    expect(match("x = 'auth.uid' ")).toBe(true);
    expect(match('"two words"')).toBe(true);
  });

  it('skips a file with neither', () => {
    expect(match('const x = 1;')).toBe(false);
    expect(match('\'get_user"')).toBe(false); // two different quotes
    expect(match("'get_users'")).toBe(false);
    expect(match('get_user')).toBe(false);
    expect(match("''get_user")).toBe(false);
  });

  it('agrees with searching for every spelling in turn, on any text', () => {
    const piece = fc.constantFrom(
      "'",
      '"',
      '`',
      'get_user',
      'get',
      '_user',
      'auth.uid',
      'two words',
      'Mixed$Case1',
      'from',
      '(',
      ' ',
      'x',
      'é',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(match(text)).toBe(naive(text));
      }),
      { numRuns: 3000 },
    );
  });
});
