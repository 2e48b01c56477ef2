/**
 * Worker thread of the code scanner: loads the TypeScript compiler as soon as it starts (so that the calling
 * thread can read SQL meanwhile), then receives batches of files and answers with their scans. The first batch
 * carries the extraction options. The main thread keeps a queue and hands the next batch to whichever worker
 * is free, so both cores stay busy to the end.
 */
import { parentPort } from 'node:worker_threads';
import { type ExtractOptions, loadTs } from './extract.js';
import { type FileJob, type FileOutcome, scanOneFile } from './scan-file.js';

export interface ScanBatch {
  /** Sent with the first batch only. */
  init?: { options: ExtractOptions; triggers: string[] };
  jobs: FileJob[];
}

let init: { options: ExtractOptions; triggers: Buffer[] } | undefined;
const compiler = loadTs();
// A compiler that fails to load is reported with the first batch, not as an unhandled rejection.
compiler.catch(() => undefined);

parentPort?.on('message', async (msg: ScanBatch) => {
  try {
    if (msg.init)
      init = { options: msg.init.options, triggers: msg.init.triggers.map((t) => Buffer.from(t)) };
    if (!init) throw new Error('a scan worker got files before its options');
    await compiler;
    const results: (FileOutcome | null)[] = [];
    for (const job of msg.jobs) results.push(await scanOneFile(job, init.triggers, init.options));
    parentPort?.postMessage({ ok: true, results });
  } catch (e) {
    const err = e as Error & { code?: string; location?: unknown; hint?: string };
    parentPort?.postMessage({
      ok: false,
      error: { message: err.message, code: err.code, location: err.location, hint: err.hint },
    });
  }
});
