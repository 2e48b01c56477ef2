import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DbcanonError } from '../../src/errors.js';
import { decodeUtf8Strict, invalidUtf8Offset } from '../../src/io/utf8.js';

/** The offset by the definition: the longest prefix that the WHATWG decoder takes without error. */
function reference(bytes: Uint8Array): number | null {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(bytes);
    return null;
  } catch {
    // The first bad byte is where a fatal decode of the prefix up to it still succeeds, but not one byte more
    // when that byte starts no valid sequence: find the longest valid prefix that ends on a character boundary.
    let ok = 0;
    for (let i = 1; i <= bytes.length; i++) {
      try {
        decoder.decode(bytes.subarray(0, i));
        ok = i;
      } catch {}
    }
    return ok;
  }
}

describe('strict UTF-8', () => {
  it('finds the first invalid byte as the WHATWG decoder would', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        expect(invalidUtf8Offset(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 2000 },
    );
    for (const bad of [
      [0xc0, 0x80], // overlong
      [0xed, 0xa0, 0x80], // surrogate
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0x61, 0xe2, 0x82], // truncated at the end
    ]) {
      const bytes = Uint8Array.from(bad);
      expect(invalidUtf8Offset(bytes)).toBe(reference(bytes));
    }
  });

  it('decodes valid UTF-8 (BOM and U+FFFD included) and refuses the rest with file, offset, line and column', () => {
    expect(decodeUtf8Strict(Buffer.from('\uFEFFa\uFFFDé\n🔒'), 'f.sql')).toBe('\uFEFFa\uFFFDé\n🔒');
    let error: unknown;
    try {
      decodeUtf8Strict(Buffer.concat([Buffer.from('ok\n🔒 x'), Buffer.from([0xe9])]), 'f.sql');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DbcanonError);
    expect((error as DbcanonError).location).toEqual({ file: 'f.sql', line: 2, column: 4 });
    expect((error as DbcanonError).message).toContain('byte offset 9 (line 2, column 4)');
  });
});
