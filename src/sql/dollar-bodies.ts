/**
 * Long dollar-quoted strings (function and DO bodies) taken out of SQL before it is parsed, and put back into
 * the tree after. libpg-query's cost is per byte: its lexer walks every byte of a body, its JSON writer escapes
 * it, and the JSON crosses back to JavaScript. A body is one string constant to the grammar, so the parser needs
 * none of it. On a history of plpgsql functions, four fifths of the parse goes away.
 *
 * The parser sees each long body replaced by a short marker between the same tags; the tree it returns then
 * gets the body back wherever the marker is, and every byte offset (`location`, `stmt_location`, `stmt_len`)
 * moved back to where it is in the real text. The result equals the tree of the whole text (the tests compare
 * them on every migration and seed). When the text is not lexed the way this module expects (a marker missing
 * from the tree, or found twice), the caller parses the whole text instead.
 */

// biome-ignore lint/suspicious/noExplicitAny: libpg-query's parse tree is untyped JSON
type PgNode = any;

/** A dollar-quoted string's content: `text.slice(start, end)`, between `$tag$` and `$tag$`. */
export interface DollarBody {
  start: number;
  end: number;
  tag: string;
}

/** Characters that continue an identifier: a `$` after one of them is part of the name (`a$b`), not a quote. */
function continuesIdentifier(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 36 ||
    code >= 128
  );
}

const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/y;

/**
 * The dollar-quoted strings of `text` whose content is at least `minLength` characters, lexed as Postgres lexes
 * them: not inside comments (nested `/* *\/` too), quoted strings (with `''`, and backslash escapes in E'…'),
 * or quoted identifiers. Stops at an unterminated quote or comment: what follows is not lexed with confidence.
 */
export function findDollarBodies(text: string, minLength: number): DollarBody[] {
  const out: DollarBody[] = [];
  const special = /--|\/\*|['"$]/g;
  for (let m = special.exec(text); m; m = special.exec(text)) {
    const i = m.index;
    const token = m[0];
    let next: number;
    if (token === '--') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      next = nl + 1;
    } else if (token === '/*') {
      let depth = 1;
      let j = i + 2;
      while (depth > 0) {
        const open = text.indexOf('/*', j);
        const close = text.indexOf('*/', j);
        if (close < 0) return out;
        if (open >= 0 && open < close) {
          depth++;
          j = open + 2;
        } else {
          depth--;
          j = close + 2;
        }
      }
      next = j;
    } else if (token === "'") {
      const prev = text.charCodeAt(i - 1);
      const escapes = (prev === 69 || prev === 101) && !continuesIdentifier(text.charCodeAt(i - 2));
      let j = i + 1;
      for (;;) {
        const q = text.indexOf("'", j);
        if (q < 0) return out;
        if (escapes) {
          let backslashes = 0;
          for (let k = q - 1; k > i && text.charCodeAt(k) === 92; k--) backslashes++;
          if (backslashes % 2 === 1) {
            j = q + 1;
            continue;
          }
        }
        if (text.charCodeAt(q + 1) === 39) {
          j = q + 2;
          continue;
        }
        next = q + 1;
        break;
      }
    } else if (token === '"') {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return out;
        if (text.charCodeAt(q + 1) === 34) {
          j = q + 2;
          continue;
        }
        next = q + 1;
        break;
      }
    } else {
      next = i + 1;
      if (i === 0 || !continuesIdentifier(text.charCodeAt(i - 1))) {
        DOLLAR_TAG.lastIndex = i;
        const tag = DOLLAR_TAG.exec(text)?.[0];
        if (tag) {
          const start = i + tag.length;
          const close = text.indexOf(tag, start);
          if (close < 0) break;
          if (close - start >= minLength) out.push({ start, end: close, tag });
          next = close + tag.length;
        }
      }
    }
    special.lastIndex = next;
  }
  return out;
}

const MARKER = 'dbcanon:body:';

export interface ShrunkSql {
  /** The text the parser sees: each long body replaced by a marker. */
  text: string;
  /**
   * Puts the bodies back into `tree` (parsed from `text`) and moves its offsets to the original text, in
   * place. False when some marker is not found exactly once: the tree must then be thrown away.
   */
  restore(tree: PgNode): boolean;
}

/** `text` with `bodies` (from findDollarBodies, in order) replaced by markers; null when there are none. */
export function shrinkBodies(text: string, bodies: DollarBody[]): ShrunkSql | null {
  if (bodies.length === 0) return null;
  const pieces: string[] = [];
  const originals = new Map<string, string>();
  // Per body: where its marker starts and ends in the shrunk text's bytes, and the bytes removed up to its end.
  const markerFrom: number[] = [];
  const markerTo: number[] = [];
  const shiftAfter: number[] = [];
  let from = 0;
  let bytes = 0;
  let shift = 0;
  bodies.forEach((b, k) => {
    const before = text.slice(from, b.start);
    const marker = `${MARKER}${k}`;
    const body = text.slice(b.start, b.end);
    pieces.push(before, marker);
    originals.set(marker, body);
    bytes += Buffer.byteLength(before, 'utf8');
    markerFrom.push(bytes);
    bytes += marker.length;
    markerTo.push(bytes);
    shift += Buffer.byteLength(body, 'utf8') - marker.length;
    shiftAfter.push(shift);
    from = b.end;
  });
  pieces.push(text.slice(from));

  /** A byte offset in the shrunk text → the same place in the original text. */
  const toOriginal = (offset: number): number => {
    // The last body whose marker starts at or before `offset` (binary search: a file may hold many bodies).
    let lo = 0;
    let hi = bodies.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((markerFrom[mid] as number) <= offset) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    if (k < 0) return offset;
    const before = k > 0 ? (shiftAfter[k - 1] as number) : 0;
    // Inside a marker (nothing points there but the body's own start): the same place in the body.
    if (offset < (markerTo[k] as number)) return offset + before;
    return offset + (shiftAfter[k] as number);
  };

  return {
    text: pieces.join(''),
    restore(tree) {
      const seen = new Map<string, number>();
      const visit = (node: PgNode): void => {
        if (Array.isArray(node)) {
          for (const n of node) visit(n);
          return;
        }
        if (node === null || typeof node !== 'object') return;
        for (const key of Object.keys(node)) {
          const v = node[key];
          if (typeof v === 'string') {
            if (v.startsWith(MARKER) && originals.has(v)) {
              node[key] = originals.get(v);
              seen.set(v, (seen.get(v) ?? 0) + 1);
            }
          } else if (typeof v === 'number') {
            if ((key === 'location' || key === 'name_location') && v >= 0) node[key] = toOriginal(v);
          } else visit(v);
        }
      };
      for (const raw of (tree?.stmts ?? []) as PgNode[]) {
        const loc: number = raw.stmt_location ?? 0;
        if (raw.stmt_len) raw.stmt_len = toOriginal(loc + raw.stmt_len) - toOriginal(loc);
        if (raw.stmt_location !== undefined) raw.stmt_location = toOriginal(loc);
        visit(raw.stmt);
      }
      return seen.size === originals.size && [...seen.values()].every((n) => n === 1);
    },
  };
}
