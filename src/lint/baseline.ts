/**
 * Baselines let a team with years of drift adopt `dbcanon check` and fail only on new findings. A baseline
 * records each accepted finding by rule, file, table and a fingerprint of its message with line and column
 * numbers taken out, so an entry keeps matching when lines above it are inserted or removed. Entries are
 * matched as a multiset: two identical findings need two entries.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../config/load.js';
import { DbcanonError } from '../errors.js';
import type { Finding } from './types.js';

const entrySchema = z.strictObject({
  rule: z.string(),
  file: z.string(),
  table: z.string().optional(),
  fingerprint: z.string(),
  /** For the reader of the file; not used for matching. */
  message: z.string().optional(),
});

const baselineSchema = z.strictObject({
  version: z.literal(1),
  findings: z.array(entrySchema),
});

export type BaselineEntry = z.infer<typeof entrySchema>;
export type Baseline = z.infer<typeof baselineSchema>;

/** Removes what moves when lines shift: `file:12:3` locations and "line 12" mentions. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/:\d+(?::\d+)?\b/g, ':#')
    .replace(/\blines? \d+(?:[-–]\d+)?/g, 'line #')
    .replace(/\s+/g, ' ')
    .trim();
}

export function fingerprint(f: Pick<Finding, 'message'>): string {
  return createHash('sha256').update(normalizeMessage(f.message)).digest('hex').slice(0, 16);
}

const keyOf = (e: { rule: string; file: string; table?: string | undefined; fingerprint: string }) =>
  `${e.rule}\u0000${e.file}\u0000${e.table ?? ''}\u0000${e.fingerprint}`;

export function createBaseline(findings: Finding[]): Baseline {
  const entries = findings.map((f) => ({
    rule: f.rule,
    file: f.file,
    ...(f.table !== undefined ? { table: f.table } : {}),
    fingerprint: fingerprint(f),
    message: f.message,
  }));
  entries.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return { version: 1, findings: entries };
}

/** The findings the baseline does not account for. */
export function filterByBaseline(findings: Finding[], baseline: Baseline): Finding[] {
  const remaining = new Map<string, number>();
  for (const e of baseline.findings) remaining.set(keyOf(e), (remaining.get(keyOf(e)) ?? 0) + 1);
  return findings.filter((f) => {
    const key = keyOf({ rule: f.rule, file: f.file, table: f.table, fingerprint: fingerprint(f) });
    const n = remaining.get(key) ?? 0;
    if (n === 0) return true;
    remaining.set(key, n - 1);
    return false;
  });
}

export async function readBaseline(file: string, cwd: string): Promise<Baseline> {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    throw new DbcanonError('IO_READ', `cannot read the baseline: ${(e as Error).message}`, {
      location: { file },
      hint: 'create it with `dbcanon check --baseline FILE --update-baseline`',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DbcanonError('CONFIG_PARSE', `the baseline is not valid JSON: ${(e as Error).message}`, {
      location: { file },
      hint: 'regenerate it with `dbcanon check --baseline FILE --update-baseline`',
    });
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    throw new DbcanonError('CONFIG_INVALID', 'the baseline does not have the expected shape', {
      location: { file },
      details: formatIssues(parsed.error.issues),
      hint: 'regenerate it with `dbcanon check --baseline FILE --update-baseline`',
    });
  }
  return parsed.data;
}

export async function writeBaseline(file: string, cwd: string, baseline: Baseline): Promise<void> {
  try {
    await writeFile(path.resolve(cwd, file), `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (e) {
    throw new DbcanonError('IO_WRITE', `cannot write the baseline: ${(e as Error).message}`, {
      location: { file },
    });
  }
}
