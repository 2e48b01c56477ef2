/**
 * One file from bytes to references: read, hash, prefilter, parse. Runs in the scan workers and, for small
 * jobs, in the calling thread.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DbcanonError } from '../errors.js';
import {
  type ExtractOptions,
  extractExports,
  extractFile,
  type FileScan,
  type ModuleExports,
} from './extract.js';
import type { Prefilter } from './prefilter.js';

export interface FileJob {
  rel: string;
  abs: string;
  /** Content hash the cache holds for this file: when the bytes still hash to it, nothing is parsed. */
  cachedHash: string | null;
}

export interface FileOutcome {
  rel: string;
  hash: string;
  /** True when the content matched `cachedHash`: the cached scan still holds. */
  same: boolean;
  /** Null when the prefilter found no trigger substring (the file cannot hold a reference). */
  scan: FileScan | null;
}

/** SHA-1 of a file's bytes, or of a text's UTF-8 (the cache's key for a file; SQL files are hashed as text). */
export function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha1').update(bytes).digest('hex');
}

export async function scanOneFile(
  job: FileJob,
  prefilter: Prefilter,
  options: ExtractOptions,
): Promise<FileOutcome | null> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(job.abs);
  } catch (e) {
    // Deleted between listing and reading: it simply is not there any more.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DbcanonError('IO_READ', `cannot read a source file: ${(e as Error).message}`, {
      location: { file: job.rel },
      hint: 'make the file readable, or exclude it with code.exclude in dbcanon.config.json',
    });
  }
  const hash = contentHash(bytes);
  if (hash === job.cachedHash) return { rel: job.rel, hash, same: true, scan: null };
  if (!prefilter.matches(bytes)) return { rel: job.rel, hash, same: false, scan: null };
  const scan = await extractFile(job.rel, bytes.toString('utf8'), options);
  return { rel: job.rel, hash, same: false, scan };
}

/** A module's exported constants; null when it cannot be read (names imported from it go to ts-morph). */
export async function moduleExports(rel: string, abs: string): Promise<ModuleExports | null> {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
  return extractExports(rel, text);
}
