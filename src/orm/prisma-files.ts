/**
 * Which files hold the project's Prisma schema. `code.prisma` lists files, folders (every `*.prisma` below, the
 * layout of Prisma's multi-file schemas: `prisma/schema/` under the prismaSchemaFolder preview, `prisma/` with
 * `models/` since 6.7) and globs. Entries that match nothing are skipped: most projects have no Prisma at all.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { findFiles } from '../code/glob.js';
import { DbcanonError } from '../errors.js';
import { type FileTexts, readText } from '../io/file-texts.js';
import { type PrismaSchemaFile, parsePrismaSchema } from './prisma-schema.js';

const EXCLUDE = ['**/node_modules/**'];

/** Root-relative `/`-separated paths of the Prisma schema files `entries` name, sorted, each once. */
export async function listPrismaFiles(root: string, entries: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const raw of entries) {
    const entry = raw.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (/[*?{]/.test(entry)) {
      for (const f of await findFiles(root, [entry], EXCLUDE)) found.add(f);
      continue;
    }
    const stat = statSync(path.join(root, entry), { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      for (const f of await findFiles(root, [`${entry ? `${entry}/` : ''}**/*.prisma`], EXCLUDE))
        found.add(f);
    } else if (stat?.isFile()) found.add(entry);
  }
  return [...found].sort();
}

/** The project's Prisma schema files, parsed. A file that exists but cannot be read is an I/O error. */
export async function readPrismaSchemas(
  root: string,
  entries: readonly string[],
  texts?: FileTexts,
): Promise<{ file: string; text: string; schema: PrismaSchemaFile }[]> {
  const out: { file: string; text: string; schema: PrismaSchemaFile }[] = [];
  for (const file of await listPrismaFiles(root, entries)) {
    let text: string;
    try {
      text = readText(path.join(root, file), texts);
    } catch (e) {
      throw new DbcanonError('IO_READ', `cannot read a Prisma schema: ${(e as Error).message}`, {
        location: { file },
      });
    }
    out.push({ file, text, schema: parsePrismaSchema(text, file) });
  }
  return out;
}
