/**
 * Splits a versioned migration file into its `-- Up Migration` and `-- Down Migration` sections.
 *
 * Pure and dependency-free on purpose: the static replay and the linter import it without loading
 * node-pg-migrate. `splitAtMarkers` is the same split with another runner's markers (dbmate, goose). The markers are recognised as node-pg-migrate recognises them (a line comment reading
 * "up migration" / "down migration", any case, extra dashes allowed), so a file means the same to both.
 */

export interface MigrationSection {
  /** The section's SQL: everything after its marker line up to the other marker (or the end of the file). */
  sql: string;
  /** 1-based line of the file on which `sql` starts; column 1 of `sql`'s first line is column 1 in the file. */
  line: number;
  /** 0-based offset of `sql` in the file text (UTF-16 code units, as JavaScript indexes strings). */
  offset: number;
}

export interface MigrationSections {
  up: MigrationSection;
  /** Null when the file has no `-- Down Migration` marker (such a migration cannot be reverted). */
  down: MigrationSection | null;
}

// What follows the `--` of a marker line; the line must hold nothing but blanks before it.
const UP_MARKER = /--[ \t-]*up[ \t]+migration\b/iy;
const DOWN_MARKER = /--[ \t-]*down[ \t]+migration\b/iy;

/** Line terminators as a multiline `^` knows them. */
const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * The first marker line: the match of `/^[ \t]*--[ \t-]*up[ \t]+migration\b.*$/im` (or down), found from the
 * comments rather than by trying the pattern at every line start, which costs more than the rest of reading a
 * migration history with long function bodies. `index` is where the marker's line starts.
 */
function findMarker(text: string, marker: RegExp): { index: number } | null {
  for (let at = text.indexOf('--'); at !== -1; at = text.indexOf('--', at + 1)) {
    let lineStart = at;
    while (lineStart > 0 && (text.charCodeAt(lineStart - 1) === 32 || text.charCodeAt(lineStart - 1) === 9)) {
      lineStart--;
    }
    if (lineStart > 0 && !isLineBreak(text.charCodeAt(lineStart - 1))) continue;
    marker.lastIndex = at;
    if (marker.test(text)) return { index: lineStart };
  }
  return null;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Offset just past the marker line that starts at `start` (past its newline, or the end of the text). */
function afterMarkerLine(text: string, start: number): number {
  const nl = text.indexOf('\n', start);
  return nl === -1 ? text.length : nl + 1;
}

function section(text: string, from: number, to: number): MigrationSection {
  return { sql: text.slice(from, to), line: lineAt(text, from), offset: from };
}

/**
 * Splits `text` at the first line starting with `upMarker` and the first starting with `downMarker` (sticky
 * patterns tried at each line comment's `--`): the Up section is the whole file when neither is there. Either
 * marker may come first; a section runs to the other marker when that one follows it, else to the end of the file.
 * node-pg-migrate's markers are the default; dbmate and goose pass theirs (src/migrate/runners/).
 */
export function splitAtMarkers(text: string, upMarker: RegExp, downMarker: RegExp): MigrationSections {
  const upMatch = findMarker(text, upMarker);
  const downMatch = findMarker(text, downMarker);
  const upStart = upMatch ? afterMarkerLine(text, upMatch.index) : 0;
  const downStart = downMatch ? afterMarkerLine(text, downMatch.index) : -1;

  let upEnd = text.length;
  if (downMatch && (!upMatch || downMatch.index > upMatch.index)) upEnd = downMatch.index;
  // A file with only a Down marker: what precedes it is the Up section.
  const up = section(text, upStart, upMatch ? upEnd : downMatch ? downMatch.index : text.length);

  if (!downMatch) return { up, down: null };
  const downEnd = upMatch && upMatch.index > downMatch.index ? upMatch.index : text.length;
  return { up, down: section(text, downStart, downEnd) };
}

/** node-pg-migrate's `-- Up Migration` / `-- Down Migration` sections (see the file's header). */
export function splitMigration(text: string): MigrationSections {
  return splitAtMarkers(text, UP_MARKER, DOWN_MARKER);
}

/**
 * The marker line that opens a section (`-- migrate:up transaction:false`), without its line break; empty for a
 * section that has none (a file without markers). dbmate reads a section's options from it.
 */
export function markerLineText(text: string, s: MigrationSection): string {
  if (s.offset === 0) return '';
  const end = text.charCodeAt(s.offset - 1) === 10 ? s.offset - 1 : s.offset;
  let start = end;
  while (start > 0 && !isLineBreak(text.charCodeAt(start - 1))) start--;
  return text.slice(start, end).replace(/\r$/, '');
}
