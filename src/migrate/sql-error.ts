/**
 * Turns a server error raised by a migration (or repeatable) into a DbcanonError located in the file:
 * `file:line:column`, the statement's line with a caret, then SQLSTATE, detail, hint and context, as
 * graphile-migrate shows them.
 */
import { DbcanonError } from '../errors.js';

/** The fields of a server error that postgres.js keeps (names as postgres.js gives them). */
export interface ServerErrorFields {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  where?: string;
  /** 1-based, in characters of the query text sent. */
  position?: string | number;
}

export function isServerError(e: unknown): e is ServerErrorFields & Error {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && 'severity' in e;
}

/** Where the failing SQL sits in its file. */
export interface SqlOrigin {
  /** Relative file path. */
  file: string;
  /** The whole file text. */
  text: string;
  /** Offset (UTF-16 units) in `text` at which the SQL sent to the server starts. */
  offset: number;
}

/** UTF-16 offset of the `chars`-th code point of `s` (the server counts characters, JavaScript code units). */
function codeUnitOffset(s: string, chars: number): number {
  let units = 0;
  let seen = 0;
  for (const ch of s) {
    if (seen === chars) break;
    units += ch.length;
    seen++;
  }
  return units;
}

export interface FileLocation {
  line: number;
  /** 1-based, in characters. */
  column: number;
}

/** 1-based line and character column of a UTF-16 offset in `text`. */
export function locationAt(text: string, offset: number): FileLocation {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, column: [...text.slice(lineStart, offset)].length + 1 };
}

/**
 * The file offset of the server's error position, or null when the error has none. The SQL sent is the
 * section (or statement) as it stands in the file, so a position past its end (a statement left open at the
 * end of input) is put just after the section's last character.
 */
export function fileOffsetOfPosition(origin: SqlOrigin, sqlLength: number, position: unknown): number | null {
  const p = Number(position);
  if (!Number.isInteger(p) || p < 1) return null;
  const sent = origin.text.slice(origin.offset, origin.offset + sqlLength);
  return origin.offset + Math.min(codeUnitOffset(sent, p - 1), sent.trimEnd().length);
}

/** The file's line at `loc` with its number and a caret under the column, as two lines. */
export function snippet(text: string, loc: FileLocation): string[] {
  const lines = text.split('\n');
  const source = (lines[loc.line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
  const gutter = String(loc.line);
  return [`${gutter} | ${source}`, `${' '.repeat(gutter.length)} | ${' '.repeat(loc.column - 1)}^`];
}

/** What a failed run left behind, when nothing else is said: the whole run was one transaction. */
export const ROLLED_BACK_HINT =
  'the run was one transaction and it was rolled back, so nothing of this run is left; fix the SQL and run it again';

/**
 * Builds the error shown for a failed migration or repeatable. `offset` is where in the file the failure is
 * (from the server's position, or the start of the statement found to fail), or null when unknown; `hint` says
 * what the failure left behind.
 */
export function sqlFailure(
  what: string,
  origin: SqlOrigin,
  error: unknown,
  offset: number | null,
  hint: string = ROLLED_BACK_HINT,
): DbcanonError {
  const e = error as ServerErrorFields;
  const details: string[] = [];
  let location: { file: string; line?: number; column?: number } = { file: origin.file };
  if (offset !== null) {
    const loc = locationAt(origin.text, offset);
    location = { file: origin.file, ...loc };
    details.push(...snippet(origin.text, loc));
  }
  if (e.code) details.push(`SQLSTATE ${e.code}`);
  if (e.detail) details.push(`detail: ${e.detail}`);
  if (e.hint) details.push(`server hint: ${e.hint}`);
  if (e.where) details.push(`context: ${e.where.split('\n').join(' <- ')}`);
  return new DbcanonError('MIGRATE_FAILED', `${what} failed: ${e.message ?? String(error)}`, {
    location,
    details,
    hint,
    cause: error,
  });
}
