/**
 * Worker thread of the code scanner: receives batches of files, answers with their scans. The main thread
 * keeps a queue and hands the next batch to whichever worker is free, so both cores stay busy to the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExtractOptions } from './extract.js';
import { type FileJob, type FileOutcome, scanOneFile } from './scan-file.js';

interface Init {
  options: ExtractOptions;
  triggers: string[];
}

const init = workerData as Init;
const triggers = init.triggers.map((t) => Buffer.from(t));

parentPort?.on('message', async (batch: FileJob[]) => {
  try {
    const results: (FileOutcome | null)[] = [];
    for (const job of batch) results.push(await scanOneFile(job, triggers, init.options));
    parentPort?.postMessage({ ok: true, results });
  } catch (e) {
    const err = e as Error & { code?: string; location?: unknown; hint?: string };
    parentPort?.postMessage({
      ok: false,
      error: { message: err.message, code: err.code, location: err.location, hint: err.hint },
    });
  }
});
