import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8ToIndex } from '../../src/sql/parser.js';

/** The definition: every byte of a character maps to the character's string index; the end to the length. */
function byTable(text: string): (byte: number) => number {
  const table: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let w = 0; w < width; w++) table.push(i);
    if (code >= 0x10000) i++;
  }
  table.push(text.length);
  return (b) => table[Math.max(0, Math.min(b, table.length - 1))] as number;
}

describe('utf8ToIndex', () => {
  it('maps byte offsets to string indexes across 1- to 4-byte characters', () => {
    const text = 'a—é😀b';
    const index = utf8ToIndex(text);
    // a(1) —(3) é(2) 😀(4, two UTF-16 units) b(1)
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(index)).toEqual([0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 5, 6]);
    expect(index(-5)).toBe(0);
    expect(index(1000)).toBe(text.length);
  });

  it('agrees with a table of every byte, on any text', () => {
    const char = fc.constantFrom('a', ' ', '\n', 'é', '—', '😀', 'ß', '中', 'z');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        const fast = utf8ToIndex(text);
        const slow = byTable(text);
        const bytes = Buffer.byteLength(text);
        for (let b = -1; b <= bytes + 1; b++) expect(fast(b)).toBe(slow(b));
      }),
      { numRuns: 2000 },
    );
  });
});
