/**
 * Worker thread of the code scanner: loads the TypeScript compiler as soon as it starts (so that the calling
 * thread can read SQL meanwhile), then answers two kinds of message: a batch of files to scan (the first batch
 * carries the extraction options), and a list of modules whose exported constants are wanted (to resolve names
 * other files import from them). The main thread keeps a queue and gives each worker a few batches ahead, so
 * both cores stay busy to the end; messages are answered one at a time, in the order they came.
 */

import { parentPort } from 'node:worker_threads';
import { type ExtractOptions, loadTs, type ModuleExports, saveCompilerCache } from './extract.js';
import { Prefilter, type PrefilterSpec } from './prefilter.js';
import { type FileJob, type FileOutcome, moduleExports, scanOneFile } from './scan-file.js';

export type WorkerRequest =
  | {
      /** Sent with the first batch only. */
      init?: { options: ExtractOptions; triggers: PrefilterSpec };
      jobs: FileJob[];
    }
  | { exports: { rel: string; abs: string }[] };

export type WorkerReply =
  | { ok: true; results: (FileOutcome | null)[] }
  | { ok: true; exports: { rel: string; values: ModuleExports | null }[] }
  | { ok: false; error: { message: string; code?: string; location?: { file: string }; hint?: string } };

let init: { options: ExtractOptions; triggers: Prefilter } | undefined;
let cacheSaved = false;
const compiler = loadTs();
// A compiler that fails to load is reported with the first request, not as an unhandled rejection.
compiler.catch(() => undefined);

async function answer(msg: WorkerRequest): Promise<void> {
  let reply: WorkerReply;
  try {
    await compiler;
    if ('exports' in msg) {
      const exports: { rel: string; values: ModuleExports | null }[] = [];
      for (const m of msg.exports) exports.push({ rel: m.rel, values: await moduleExports(m.rel, m.abs) });
      reply = { ok: true, exports };
    } else {
      if (msg.init) init = { options: msg.init.options, triggers: new Prefilter(msg.init.triggers) };
      if (!init) throw new Error('a scan worker got files before its options');
      const results: (FileOutcome | null)[] = [];
      for (const job of msg.jobs) results.push(await scanOneFile(job, init.triggers, init.options));
      reply = { ok: true, results };
    }
  } catch (e) {
    const err = e as Error & { code?: string; location?: { file: string }; hint?: string };
    reply = {
      ok: false,
      error: { message: err.message, code: err.code, location: err.location, hint: err.hint },
    };
  }
  parentPort?.postMessage(reply);
  // After the first answer: the parser's functions are compiled by now, and the cache holds them too.
  if (!cacheSaved) {
    cacheSaved = true;
    saveCompilerCache();
  }
}

// One at a time: a batch's files are read asynchronously, and the next batch must not overtake it.
let answering = Promise.resolve();
parentPort?.on('message', (msg: WorkerRequest) => {
  answering = answering
    .then(() => answer(msg))
    .catch((e: Error) =>
      parentPort?.postMessage({ ok: false, error: { message: e.message } } as WorkerReply),
    );
});
