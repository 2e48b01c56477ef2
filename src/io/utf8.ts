/**
 * Strict UTF-8 decoding for input that is stored or run as it is read (migrations, repeatables, events).
 * Node's decoder replaces every byte that is not UTF-8 with U+FFFD without a word; text decoded that way would be
 * applied to the database and recorded as what the file said. Here such input is refused, naming the file, the
 * byte offset and the line.
 */
import { isUtf8 } from 'node:buffer';
import { DbcanonError } from '../errors.js';

/** Length of the UTF-8 sequence that starts at `i`, or 0 when the bytes there are not valid UTF-8. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i] as number;
  if (c < 0x80) return 1;
  const cont = (k: number) => i + k < b.length && ((b[i + k] as number) & 0xc0) === 0x80;
  const next = b[i + 1] ?? 0;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    // No overlong forms (E0 80..9F) and no UTF-16 surrogates (ED A0..BF).
    if ((c === 0xe0 && next < 0xa0) || (c === 0xed && next > 0x9f)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    // No overlong forms (F0 80..8F) and nothing above U+10FFFF (F4 90..).
    if ((c === 0xf0 && next < 0x90) || (c === 0xf4 && next > 0x8f)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Byte offset of the first byte that is not part of valid UTF-8, or null when all of `bytes` is UTF-8. */
export function invalidUtf8Offset(bytes: Uint8Array): number | null {
  if (isUtf8(bytes)) return null;
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return null;
}

/**
 * Decodes `bytes` as UTF-8, or throws INPUT_INVALID naming `file` (as shown to the user), the byte offset, and
 * the line and column of the first invalid byte. A BOM is kept, as Node's decoder keeps it.
 */
export function decodeUtf8Strict(bytes: Uint8Array, file: string): string {
  const at = invalidUtf8Offset(bytes);
  if (at === null) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, at).toString('utf8');
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  const shown = [...bytes.subarray(at, at + 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new DbcanonError(
    'INPUT_INVALID',
    `${file} is not valid UTF-8: byte offset ${at} (line ${line}, column ${column}) holds 0x${shown.split(' ')[0]}`,
    {
      location: { file, line, column },
      details: [`bytes from offset ${at}: ${shown}`],
      hint: 'save the file as UTF-8 (it was likely written in Latin-1 or Windows-1252); dbcanon refuses to guess, since the text would be run and stored as read',
    },
  );
}
