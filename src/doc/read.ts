/**
 * Reading and writing the canonical document. Reads keep the exact bytes (BOM, CRLF) so a rewrite changes only
 * what it means to; writes go to a temporary file first, so a failed write leaves the document as it was.
 */
import { chmod, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DbcanonConfig } from '../config/schema.js';
import { DbcanonError } from '../errors.js';
import type { DocModel } from './doc-model.js';
import { parseDoc } from './parse.js';

export interface DocFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the project root (what findings show). */
  file: string;
  text: string;
  /** False when the bytes are not valid UTF-8 (they were decoded with replacement characters). */
  validUtf8: boolean;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const looseUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Reads the document named by `file` (relative to `root`), or by the config's `doc` key. */
export async function readDoc(
  root: string,
  config: Pick<DbcanonConfig, 'doc'>,
  file?: string,
): Promise<DocFile> {
  const abs = path.resolve(root, file ?? config.doc);
  const relative = path.relative(root, abs);
  const rel = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? abs : relative;
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DbcanonError(
      'IO_READ',
      missing
        ? `the schema document ${rel} does not exist`
        : `cannot read the schema document ${rel}: ${(e as Error).message}`,
      {
        location: { file: rel },
        hint: missing
          ? 'create it, or point the `doc` key of dbcanon.config.json at your schema document'
          : 'check the file permissions',
        cause: e,
      },
    );
  }
  try {
    return { path: abs, file: rel, text: strictUtf8.decode(bytes), validUtf8: true };
  } catch {
    return { path: abs, file: rel, text: looseUtf8.decode(bytes), validUtf8: false };
  }
}

/** Reads and parses the document. */
export async function loadDoc(
  root: string,
  config: Pick<DbcanonConfig, 'doc'>,
  file?: string,
): Promise<DocModel> {
  const doc = await readDoc(root, config, file);
  return parseDoc(doc.text, doc.file);
}

/** Replaces the document's content; the old content stays intact if anything fails. */
export async function writeDoc(doc: Pick<DocFile, 'path' | 'file'>, text: string): Promise<void> {
  const tmp = `${doc.path}.dbcanon-${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    const mode = await stat(doc.path).then(
      (s) => s.mode,
      () => null,
    );
    if (mode !== null) await chmod(tmp, mode & 0o7777);
    await rename(tmp, doc.path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw new DbcanonError('IO_WRITE', `cannot write ${doc.file}: ${(e as Error).message}`, {
      location: { file: doc.file },
      hint: 'check that the file and its directory are writable',
      cause: e,
    });
  }
}
