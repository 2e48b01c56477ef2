/**
 * Line edits on a document that keep every untouched line byte for byte, line ending included. New lines get
 * the document's line ending.
 */

export interface TextLine {
  /** The line without its terminator. */
  text: string;
  /** `\n`, `\r\n`, or '' for a last line without one. */
  end: string;
}

export function splitLines(text: string): TextLine[] {
  const raw = text.split('\n');
  return raw.map((l, i) => {
    const last = i === raw.length - 1;
    if (last) return { text: l, end: '' };
    return l.endsWith('\r') ? { text: l.slice(0, -1), end: '\r\n' } : { text: l, end: '\n' };
  });
}

export interface LineEdit {
  /** 0-based index of the first line replaced (or of the line the insertion goes before). */
  start: number;
  /** Lines removed from `start`. */
  remove: number;
  insert: string[];
}

/** Applies non-overlapping edits; `eol` terminates inserted lines. */
export function applyEdits(lines: TextLine[], edits: LineEdit[], eol: string): string {
  const out = [...lines];
  // Bottom-up, so earlier indexes stay valid; at one index the edit given first ends up first.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
  for (const { e } of sorted) {
    const inserted = e.insert.map((text) => ({ text, end: eol }));
    if (e.start >= out.length && out.length > 0) {
      // Appending after a last line that has no terminator: give it one, and keep the file's "no final newline".
      const last = out[out.length - 1] as TextLine;
      if (last.end === '') {
        last.end = eol;
        const tail = inserted.at(-1);
        if (tail) tail.end = '';
      }
    }
    out.splice(Math.min(e.start, out.length), e.remove, ...inserted);
  }
  return out.map((l) => l.text + l.end).join('');
}

/** Where an append goes: before the empty remainder after a final newline, else after the last line. */
export function endIndex(lines: TextLine[]): number {
  const last = lines.at(-1);
  return last && last.text === '' && last.end === '' ? lines.length - 1 : lines.length;
}
