/**
 * One SQL file of the project as every reader of migrations sees it: its text (read once per run through
 * FileTexts) and, when asked for, the SHA-256 of its bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DbcanonError } from '../errors.js';
import { type FileTexts, readText } from '../io/file-texts.js';

export interface SqlFile {
  /** Relative to the project root, with `/` separators (as findings and messages show it). */
  file: string;
  /** Absolute path. */
  path: string;
  text: string;
  /** SHA-256 of the file's bytes, hex. */
  checksum: string;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function relative(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

export async function sqlFileNames(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.sql') && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new DbcanonError('IO_READ', `cannot read directory: ${(e as Error).message}`, {
      location: { file: dir },
    });
  }
}

/**
 * Reads one file synchronously, as text: migrations are small, and for hundreds of them one synchronous read each
 * is three times faster than as many parallel asynchronous ones (measured: 500 files, 18 ms against 55 ms), and
 * text keeps 5 MB of Buffers out of the way of the garbage collector. The checksum (of the file's bytes) is
 * computed when first asked for, which the static replay never does: from the text, whose UTF-8 is the file's
 * bytes unless the file held something that is not UTF-8 (decoded as U+FFFD; the bytes are then read again).
 */
export function readSqlFile(root: string, abs: string, texts?: FileTexts): SqlFile {
  let text: string;
  try {
    text = readText(abs, texts);
  } catch (e) {
    throw new DbcanonError('IO_READ', `cannot read file: ${(e as Error).message}`, {
      location: { file: relative(root, abs) },
    });
  }
  let checksum: string | undefined;
  return {
    file: relative(root, abs),
    path: abs,
    text,
    get checksum() {
      checksum ??= sha256(text.includes('\uFFFD') ? readFileSync(abs) : text);
      return checksum;
    },
  };
}
