import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { originalColumn, repairEncoding } from '../../src/doc/encoding.js';

const seed = (name: string) =>
  readFileSync(new URL(`../fixtures/doc/seeds/${name}.md`, import.meta.url), 'utf8');
const repaired = (name: string) =>
  readFileSync(new URL(`../fixtures/doc/repaired/${name}.md`, import.meta.url), 'utf8');

const MAC_ROMAN_HIGH =
  'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u00a0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uf8ffÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ';
const CP1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Mis-decodes text the way an editor would: UTF-8 bytes read with a single-byte table. */
function misdecode(text: string, encoding: 'macintosh' | 'windows-1252'): string {
  return Array.from(Buffer.from(text, 'utf8'))
    .map((b) => {
      if (b < 0x80) return String.fromCharCode(b);
      if (encoding === 'macintosh') return MAC_ROMAN_HIGH[b - 0x80];
      return b < 0xa0 ? CP1252_80_9F[b - 0x80] : String.fromCharCode(b);
    })
    .join('');
}

const EMOJI = ['🔒', '📊', '⚠️', '❌', '🎯', '✅', '🔍', '📝'];

describe('repairEncoding on the seeds', () => {
  it('000 (UTF-8 read as Mac Roman) repairs to the text a Mac Roman round trip gives, and nothing else', () => {
    const r = repairEncoding(seed('000_e5d971c37e16717a'));
    expect(r.text).toBe(repaired('000_e5d971c37e16717a'));
    expect(r.repairs).toHaveLength(14);
    expect(r.repairs.every((x) => x.encoding === 'macintosh' && !x.guessed)).toBe(true);
    expect(r.text).not.toMatch(/[\uf8ff√ú‚]|üî|üì/);
    for (const e of EMOJI) expect(r.text).toContain(e);
  });

  it('001 (UTF-8 read as Windows-1252, bytes lost) repairs to the same characters as 000, marking the guesses', () => {
    const r = repairEncoding(seed('001_442cef1edb5577ed'));
    expect(r.text).toBe(repaired('001_442cef1edb5577ed'));
    expect(r.text).not.toMatch(/[ðŸâ€œ]|ï¸/);
    const guessed = r.repairs.filter((x) => x.guessed).map((x) => x.repaired);
    // 🔍 (F0 9F 94 8D), 📝 (F0 9F 93 9D), ⚠️'s U+FE0F (EF B8 8F) and ❌ (E2 9D 8C) each lost a byte.
    expect(guessed.sort()).toEqual(['⚠️', '❌', '🔍', '📝'].sort());
    const search = r.repairs.find((x) => x.repaired === '🔍');
    expect(search?.alternatives).toContain('🔐');
    expect(r.repairs.filter((x) => !x.guessed).every((x) => x.encoding === 'windows-1252')).toBe(true);
  });

  it('the repaired 000 and 001 carry the same emoji on the same headings', () => {
    const emojiLines = (t: string) =>
      t.split('\n').filter((l) => /\p{Extended_Pictographic}/u.test(l) && !/^\d\. /.test(l));
    const a = emojiLines(repairEncoding(seed('000_e5d971c37e16717a')).text);
    const b = emojiLines(repairEncoding(seed('001_442cef1edb5577ed')).text);
    expect(a).toEqual(b);
  });

  it('004 is Mac Roman mojibake too (✅ ❌ — ← → ↓ 🎯) and repairs to its Mac Roman round trip', () => {
    const r = repairEncoding(seed('004_57f4dc40026df973'));
    expect(r.text).toBe(repaired('004_57f4dc40026df973'));
    expect(new Set(r.repairs.map((x) => x.repaired))).toEqual(
      new Set(['✅', '❌', '—', '←', '→', '↓', '🎯']),
    );
  });

  it('leaves 002 and 003 alone: their emoji and box-drawing characters are real', () => {
    for (const name of ['002_af756df21a29a961', '003_22788783dbbb800a']) {
      const text = seed(name);
      const r = repairEncoding(text);
      expect(r.repairs).toEqual([]);
      expect(r.text).toBe(text);
    }
  });

  it('keeps CRLF line endings and reports the same positions', () => {
    const lf = seed('001_442cef1edb5577ed');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = repairEncoding(lf);
    const b = repairEncoding(crlf);
    expect(b.text).toBe(a.text.replace(/\n/g, '\r\n'));
    expect(b.repairs).toEqual(a.repairs);
  });

  it('positions point at the mis-decoded text in the original file', () => {
    const text = seed('000_e5d971c37e16717a');
    const lines = text.split('\n');
    for (const r of repairEncoding(text).repairs) {
      expect((lines[r.line - 1] as string).slice(r.column - 1, r.column - 1 + r.found.length)).toBe(r.found);
    }
  });

  it('maps a column of the repaired line back to the file', () => {
    // `## \uf8ffüîí CRITICAL`: 🔒 is two UTF-16 units where the file has four characters.
    const r = repairEncoding('## \uf8ffüîí CRITICAL ‚úÖ x').repairs;
    expect(r).toHaveLength(2);
    expect(originalColumn(r, 1, 7)).toBe(9); // the C of CRITICAL
    expect(originalColumn(r, 1, 18)).toBe(22); // the x after ✅
    expect(originalColumn(r, 2, 5)).toBe(5);
  });
});

describe('repairEncoding on generated text', () => {
  const words = [
    'vtid_ledger',
    'CREATE',
    'TABLE',
    'café',
    'naïve',
    'Über',
    'Straße',
    'niño',
    'façade',
    '—',
    '“quoted”',
    'it’s',
    '…',
    '→',
    '←',
    '✅',
    '❌',
    '⚠️',
    '🔒',
    '📊',
    '🎯',
    '🔍',
    '📝',
    '│',
    '▶',
    '中文',
    '«Zitat»',
    'x',
    '\n',
  ];
  const text = fc.array(fc.constantFrom(...words), { maxLength: 60 }).map((ws) => ws.join(' '));

  it('never changes correct text', () => {
    fc.assert(
      fc.property(text, (t) => {
        const r = repairEncoding(t);
        expect(r.repairs).toEqual([]);
        expect(r.text).toBe(t);
      }),
      { numRuns: 300 },
    );
  });

  it('undoes Mac Roman mojibake exactly', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(repairEncoding(misdecode(t, 'macintosh')).text).toBe(t);
      }),
      { numRuns: 300 },
    );
  });

  it('undoes Windows-1252 mojibake exactly when no byte was lost (C1 controls kept)', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(repairEncoding(misdecode(t, 'windows-1252')).text).toBe(t);
      }),
      { numRuns: 300 },
    );
  });
});
