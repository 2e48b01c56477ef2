/**
 * A line scanner for the markdown of schema documents: ATX headings, fenced code blocks (also indented inside
 * list items), list items, pipe tables and bold `**Label:**` lines, each with its 1-based line number. A full
 * CommonMark parser would lose the exact line of a nested token; these documents need only these blocks, and
 * every finding must point at its line.
 */

export interface Fence {
  /** Line of the opening fence. */
  open: number;
  /** Line of the closing fence, or null when the block runs to the end of the document. */
  close: number | null;
  /** Info string's first word, lower case (`sql`, `markdown`, ``). */
  lang: string;
  /** Columns of indentation removed from each content line (the opening fence's indentation). */
  indent: number;
  /** Content lines with the fence's indentation removed. */
  content: string[];
  /** Columns removed from each content line (a line may be indented less than the fence). */
  stripped: number[];
  /** Line of the first content line. */
  contentLine: number;
}

export interface Heading {
  level: number;
  /** Text without the `#` marks and closing `#`s, trimmed. */
  text: string;
  line: number;
  /** 1-based column where the text starts. */
  column: number;
}

export interface ScannedDoc {
  /** Lines without their line endings; `lines[0]` is line 1. */
  lines: string[];
  headings: Heading[];
  fences: Fence[];
  /** For each line (index = line - 1), the fence it belongs to (delimiters included), or null. */
  fenceAt: (Fence | null)[];
}

const FENCE_OPEN = /^( *)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

export function scanMarkdown(text: string): ScannedDoc {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const headings: Heading[] = [];
  const fences: Fence[] = [];
  const fenceAt: (Fence | null)[] = new Array(lines.length).fill(null);
  let open: { fence: Fence; marker: string } | null = null;

  lines.forEach((line, i) => {
    const n = i + 1;
    if (open) {
      fenceAt[i] = open.fence;
      const closing = new RegExp(`^ *${open.marker[0] === '`' ? '`' : '~'}{${open.marker.length},}\\s*$`);
      if (closing.test(line)) {
        open.fence.close = n;
        open = null;
      } else {
        const strip = Math.min(open.fence.indent, line.length - line.trimStart().length);
        open.fence.content.push(line.slice(strip));
        open.fence.stripped.push(strip);
      }
      return;
    }
    const f = FENCE_OPEN.exec(line);
    if (f) {
      const fence: Fence = {
        open: n,
        close: null,
        lang: (f[3] ?? '').toLowerCase(),
        indent: (f[1] ?? '').length,
        content: [],
        stripped: [],
        contentLine: n + 1,
      };
      fences.push(fence);
      fenceAt[i] = fence;
      open = { fence, marker: f[2] as string };
      return;
    }
    const h = ATX.exec(line);
    if (h) {
      const raw = h[2] ?? '';
      headings.push({
        level: (h[1] as string).length,
        text: raw.trim(),
        line: n,
        column: line.indexOf(raw) + 1,
      });
    }
  });
  return { lines, headings, fences, fenceAt };
}

export interface ListItem {
  /** Text after the bullet, trimmed at the end. */
  text: string;
  line: number;
  /** 1-based column where `text` starts. */
  column: number;
}

const LIST_ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$/;

export function listItem(line: string, n: number): ListItem | null {
  const m = LIST_ITEM.exec(line);
  if (!m) return null;
  const text = (m[2] as string).trimEnd();
  return { text, line: n, column: line.length - (m[2] as string).length + 1 };
}

/**
 * The list that follows line `after`: consecutive list items, allowing blank lines before the first item and
 * between items; stops at the first other line or at `end` (exclusive), and never enters a fence.
 */
export function listAfter(doc: ScannedDoc, after: number, end: number): ListItem[] {
  const items: ListItem[] = [];
  for (let n = after + 1; n < end; n++) {
    if (doc.fenceAt[n - 1]) break;
    const line = doc.lines[n - 1] as string;
    if (line.trim() === '') continue;
    const item = listItem(line, n);
    if (!item) break;
    items.push(item);
  }
  return items;
}

export interface Label {
  /** Lower case, without the colon: `purpose`, `used by`, `schema`, `api endpoints`. */
  label: string;
  /** Text after the label on the same line, trimmed. */
  rest: string;
  /** 1-based column where `rest` starts. */
  restColumn: number;
}

const LABEL = /^\s*(?:\*\*|__)([^*:]+?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)(.*)$/;

/** Reads `**Used by:** rest` (also `**Used by**: rest`). */
export function label(line: string): Label | null {
  const m = LABEL.exec(line);
  if (!m) return null;
  const rest = (m[2] as string).trim();
  return {
    label: (m[1] as string).trim().toLowerCase().replace(/\s+/g, ' '),
    rest,
    restColumn: rest === '' ? line.length + 1 : line.length - (m[2] as string).trimStart().length + 1,
  };
}

export interface PipeTable {
  /** Header cells, trimmed, as written. */
  header: string[];
  headerLine: number;
  rows: { cells: string[]; line: number }[];
}

function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '\\' && s[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '`') {
      inCode = !inCode;
      cell += ch;
    } else if (ch === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

const SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

/** Every pipe table between lines `start` and `end` (exclusive), outside fences. */
export function pipeTables(doc: ScannedDoc, start: number, end: number): PipeTable[] {
  const tables: PipeTable[] = [];
  for (let n = start; n < end; n++) {
    const line = doc.lines[n - 1] as string;
    const next = doc.lines[n] ?? '';
    if (doc.fenceAt[n - 1] || !line.includes('|') || !SEPARATOR.test(next) || !next.includes('-')) continue;
    const table: PipeTable = { header: splitRow(line), headerLine: n, rows: [] };
    let m = n + 2;
    while (m < end && !doc.fenceAt[m - 1] && (doc.lines[m - 1] as string).includes('|')) {
      table.rows.push({ cells: splitRow(doc.lines[m - 1] as string), line: m });
      m++;
    }
    tables.push(table);
    n = m - 1;
  }
  return tables;
}

/** The text inside the first code span of `s`, or null. */
export function firstCodeSpan(s: string): string | null {
  const m = /`([^`]+)`/.exec(s);
  return m ? (m[1] as string) : null;
}
