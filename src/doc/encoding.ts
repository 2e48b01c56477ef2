/**
 * Repairs mojibake: UTF-8 text that was once decoded with a single-byte encoding (Mac Roman or Windows-1252)
 * and saved again, so that `🔒` became `\uF8FFüîí` or `ðŸ”’`.
 *
 * Detection never trusts a look-alike table of "bad strings". A run is repaired only when its characters map
 * back, through the single-byte table, to bytes that form a valid UTF-8 sequence of two or more bytes. Text that
 * is already correct (real emoji, box-drawing characters, accented letters) either has no byte in that table or
 * does not re-encode to valid UTF-8, so it is left alone.
 *
 * Windows-1252 has no character for 0x81, 0x8D, 0x8F, 0x90 and 0x9D; a document that went through it may have
 * lost those bytes. When a sequence is short by one or two continuation bytes, every way of putting those bytes
 * back is tried, and the most likely character is chosen and reported as a guess, with the alternatives.
 */
import type { DocMojibake } from './doc-model.js';

export type SingleByteEncoding = DocMojibake['encoding'];

/** Characters of bytes 0x80–0xFF in Mac Roman (the classic Mac OS encoding). */
const MAC_ROMAN_HIGH =
  'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u00a0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uf8ffÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ';

/**
 * Characters of bytes 0x80–0x9F in Windows-1252. The five undefined bytes are given as the C1 control
 * characters that WHATWG decoders produce for them, so text from such a decoder keeps its bytes.
 */
const WINDOWS_1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Bytes that Windows-1252 decoders without a C1 fallback drop: the bytes a repair may have to put back. */
const WINDOWS_1252_LOST_BYTES = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

function reverseTable(high: string): Map<string, number> {
  const map = new Map<string, number>();
  Array.from(high).forEach((ch, i) => {
    map.set(ch, 0x80 + i);
  });
  return map;
}

const TABLES: Record<SingleByteEncoding, Map<string, number>> = {
  macintosh: reverseTable(MAC_ROMAN_HIGH),
  'windows-1252': (() => {
    const m = reverseTable(WINDOWS_1252_80_9F);
    for (let b = 0xa0; b <= 0xff; b++) m.set(String.fromCharCode(b), b);
    return m;
  })(),
};

/**
 * Characters documents commonly carry, most likely first. Only consulted when bytes were lost and several
 * characters fit: the check marks, warning signs and section emoji of schema documents, then typographic
 * punctuation (Windows-1252 loses the last byte of `”`, U+201D, too).
 */
const COMMON = [
  '✅',
  '❌',
  '⚠',
  '🔒',
  '📊',
  '🎯',
  '🔍',
  '📝',
  '📌',
  '📋',
  '📄',
  '📁',
  '📂',
  '📦',
  '📍',
  '🚀',
  '🔧',
  '🔑',
  '🔐',
  '🔗',
  '🔥',
  '💡',
  '🐛',
  '✨',
  '⭐',
  '👉',
  '”',
  '“',
  '’',
  '‘',
  '–',
  '—',
  '…',
  '•',
  '€',
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Expected length of a UTF-8 sequence from its lead byte, or 0 when the byte cannot start a multi-byte one. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const isContinuation = (b: number | undefined) => b !== undefined && b >= 0x80 && b <= 0xbf;

/** Decodes bytes as exactly one UTF-8 character, or null. */
function decodeOne(bytes: number[]): string | null {
  let s: string;
  try {
    s = utf8.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
  return Array.from(s).length === 1 ? s : null;
}

/** A character a repair may produce at all: assigned, not a control, not private use. */
function assigned(ch: string): boolean {
  return !/[\p{Cc}\p{Co}\p{Cn}\p{Cs}]/u.test(ch);
}

/**
 * Characters whose mojibake is unmistakable on its own: the Latin-1 letters of two-byte sequences (`Ã©` → `é`),
 * punctuation, arrows, symbols, dingbats, variation selectors and emoji. A lone repair to anything else (a CJK
 * ideograph, a Cyrillic letter) is more likely ordinary text that happens to re-encode, such as `é«»` or
 * `—é`; such repairs are kept only where two or more sequences touch (`ä¸­æ–‡` → `中文`).
 */
function symbolic(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    (cp >= 0xa0 && cp <= 0x17f) ||
    (cp >= 0x2000 && cp <= 0x2bff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x1f000 && cp <= 0x1faff) ||
    /\p{Extended_Pictographic}/u.test(ch)
  );
}

function rank(ch: string, previous: string | undefined): number {
  if (ch === '\ufe0f' && previous !== undefined && /\p{Extended_Pictographic}/u.test(previous)) return 0;
  const i = COMMON.indexOf(ch);
  if (i >= 0) return 1 + i / 1000;
  if (/\p{Extended_Pictographic}/u.test(ch)) return 2;
  return 3;
}

/** Every way of inserting `count` lost bytes among the continuation positions of a short sequence. */
function withLostBytes(present: number[], total: number): number[][] {
  let results: number[][] = [present];
  for (let k = present.length; k < total; k++) {
    const next: number[][] = [];
    for (const seq of results) {
      for (let pos = 1; pos <= seq.length; pos++) {
        for (const b of WINDOWS_1252_LOST_BYTES) next.push([...seq.slice(0, pos), b, ...seq.slice(pos)]);
      }
    }
    results = next;
  }
  return results;
}

interface Piece {
  /** Index in the text of the first mis-decoded character. */
  start: number;
  end: number;
  repaired: string;
  guessed: boolean;
  alternatives: string[];
  /** UTF-8 length of the sequence (after putting lost bytes back). */
  bytes: number;
  symbolic: boolean;
}

/** Finds the mis-decoded sequences of one encoding, left to right, without overlaps. */
function findPieces(text: string, encoding: SingleByteEncoding): Piece[] {
  const table = TABLES[encoding];
  const pieces: Piece[] = [];
  let i = 0;
  // Only non-ASCII characters can start a mis-decoded sequence; jump from one to the next.
  const nonAscii = /[^\x00-\x7f]/g;
  while (i < text.length) {
    nonAscii.lastIndex = i;
    const next = nonAscii.exec(text);
    if (next === null) break;
    i = next.index;
    const lead = table.get(text[i] as string);
    const n = lead === undefined ? 0 : sequenceLength(lead);
    if (lead === undefined || n === 0) {
      i++;
      continue;
    }
    const bytes = [lead];
    let j = i + 1;
    while (bytes.length < n && isContinuation(table.get(text[j] as string))) {
      bytes.push(table.get(text[j] as string) as number);
      j++;
    }
    const previous = pieces.at(-1)?.end === i ? pieces.at(-1)?.repaired : undefined;
    if (bytes.length === n) {
      const ch = decodeOne(bytes);
      if (ch !== null && assigned(ch)) {
        pieces.push({
          start: i,
          end: j,
          repaired: ch,
          guessed: false,
          alternatives: [],
          bytes: n,
          symbolic: symbolic(ch),
        });
        i = j;
        continue;
      }
    } else if (encoding === 'windows-1252' && bytes.length >= 2 && n - bytes.length <= 2) {
      const seen = new Set<string>();
      for (const candidate of withLostBytes(bytes, n)) {
        const ch = decodeOne(candidate);
        // Only guess characters a document plausibly held; a lost byte never turns text into an ideograph.
        if (ch !== null && assigned(ch) && (symbolic(ch) || COMMON.includes(ch))) seen.add(ch);
      }
      const before = previous === undefined ? undefined : Array.from(previous).at(-1);
      const ranked = [...seen].sort(
        (a, b) => rank(a, before) - rank(b, before) || (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0),
      );
      const best = ranked[0];
      if (best !== undefined) {
        pieces.push({
          start: i,
          end: j,
          repaired: best,
          guessed: true,
          alternatives: ranked.slice(1),
          bytes: n,
          symbolic: true,
        });
        i = j;
        continue;
      }
    }
    i++;
  }
  return pieces;
}

/**
 * Keeps the pieces that are evidence of mojibake and joins touching ones, so `‚ö†Ô∏è` is one repair to `⚠️`
 * rather than two. A group of touching pieces stays when it has a symbolic character or two or more pieces.
 * Guesses stay only when the same document has an unguessed repair of three or more bytes: a lost byte is
 * believed only where the encoding's mojibake is already certain.
 */
function mergePieces(pieces: Piece[]): Piece[] {
  const groups: Piece[][] = [];
  for (const p of pieces) {
    const last = groups.at(-1);
    if (last && (last.at(-1) as Piece).end === p.start) last.push(p);
    else groups.push([p]);
  }
  const kept = groups.filter((g) => g.length > 1 || g.some((p) => p.symbolic));
  const certain = kept.some((g) => g.some((p) => !p.guessed && p.bytes >= 3));
  const out: Piece[] = [];
  for (const g of kept) {
    if (!certain && g.some((p) => p.guessed)) continue;
    const [first, ...rest] = g as [Piece, ...Piece[]];
    const merged = { ...first, alternatives: [...first.alternatives] };
    for (const p of rest) {
      merged.end = p.end;
      merged.repaired += p.repaired;
      merged.guessed ||= p.guessed;
      merged.alternatives.push(...p.alternatives);
    }
    out.push(merged);
  }
  return out;
}

export interface EncodingRepair {
  /** The text with every repair applied; equal to the input when nothing needed repair. */
  text: string;
  repairs: DocMojibake[];
}

/**
 * Finds and repairs mojibake. A document is taken to have gone through one encoding: the one whose repairs
 * cover more of it (a Mac Roman document read as Windows-1252 mostly fails to re-encode, and vice versa).
 * Line endings and every other character are kept as they are.
 */
export function repairEncoding(text: string): EncodingRepair {
  let best: { encoding: SingleByteEncoding; pieces: Piece[]; covered: number } | null = null;
  for (const encoding of ['macintosh', 'windows-1252'] as const) {
    const pieces = mergePieces(findPieces(text, encoding));
    const covered = pieces.reduce((sum, p) => sum + (p.end - p.start), 0);
    if (covered > 0 && (best === null || covered > best.covered)) best = { encoding, pieces, covered };
  }
  if (best === null) return { text, repairs: [] };

  const repairs: DocMojibake[] = [];
  let out = '';
  let cursor = 0;
  let line = 1;
  let lineStart = 0;
  for (const p of best.pieces) {
    for (let k = cursor; k < p.start; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    out += text.slice(cursor, p.start) + p.repaired;
    cursor = p.end;
    const repair: DocMojibake = {
      line,
      column: p.start - lineStart + 1,
      found: text.slice(p.start, p.end),
      repaired: p.repaired,
      encoding: best.encoding,
      guessed: p.guessed,
    };
    if (p.guessed) repair.alternatives = [...new Set(p.alternatives)];
    repairs.push(repair);
  }
  out += text.slice(cursor);
  return { text: out, repairs };
}

/**
 * Maps a column of the repaired text back to the column of the original line, so that a problem found in the
 * repaired text points at the right place in the file. `repairs` are those of `repairEncoding`.
 */
export function originalColumn(repairs: readonly DocMojibake[], line: number, column: number): number {
  let shift = 0;
  for (const r of repairs) {
    if (r.line !== line) continue;
    const repairedStart = r.column - shift;
    if (repairedStart >= column) break;
    shift += r.found.length - r.repaired.length;
  }
  return column + shift;
}
