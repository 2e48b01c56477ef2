/**
 * Which files can hold a reference, decided on raw bytes before any is decoded or parsed: a file holding none of
 * the trigger substrings (`from(`, `rpc(`, an SQL tag, …) and no quoted name of a known SQL function is skipped.
 *
 * The function names are hundreds (`'name'`, `"name"` and `` `name` `` each); searching for each one in turn read
 * every trigger-free file once per spelling (1,200 passes over each of 2,007 files on a real repository: about a
 * second of the workers' time). Here the few fixed substrings are searched with `indexOf`, and the quoted names in
 * one pass: at each quote, the identifier after it is looked up in a set when the same quote closes it.
 */

/** What the prefilter looks for, as plain data (it is sent to the scan workers). */
export interface PrefilterSpec {
  fixed: string[];
  /** Names to be found between a pair of the same quote (`'`, `"` or a backtick). */
  quoted: string[];
}

const QUOTES = new Set([0x27, 0x22, 0x60]);
const PLAIN_NAME = /^[A-Za-z0-9_$]+$/;

/** Bytes of identifier characters: A–Z, a–z, 0–9, `_` and `$`. */
function isNameByte(b: number): boolean {
  return (
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x5f ||
    b === 0x24
  );
}

export class Prefilter {
  private readonly fixed: Buffer[];
  private readonly names: Set<string>;

  constructor(spec: PrefilterSpec) {
    const plain = spec.quoted.filter((n) => PLAIN_NAME.test(n));
    // A name with other characters (a space, a dot) is rare: searched for as a substring, in each quote.
    const other = spec.quoted
      .filter((n) => !PLAIN_NAME.test(n))
      .flatMap((n) => [`'${n}'`, `"${n}"`, `\`${n}\``]);
    this.fixed = [...spec.fixed, ...other].map((t) => Buffer.from(t));
    this.names = new Set(plain);
  }

  /** Whether the file may hold a reference: one fixed substring, or one known name between a pair of quotes. */
  matches(bytes: Buffer): boolean {
    for (const t of this.fixed) if (bytes.includes(t)) return true;
    if (this.names.size === 0) return false;
    const n = bytes.length;
    for (let i = 0; i < n; i++) {
      const q = bytes[i] as number;
      if (!QUOTES.has(q)) continue;
      let j = i + 1;
      while (j < n && isNameByte(bytes[j] as number)) j++;
      if (j > i + 1 && j < n && bytes[j] === q && this.names.has(bytes.toString('latin1', i + 1, j)))
        return true;
      // Nothing between i and j is a quote; the byte at j may open the next string.
      i = j - 1;
    }
    return false;
  }
}
