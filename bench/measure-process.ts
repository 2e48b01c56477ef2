/** Shared by the CLI benchmarks: time one child process and read its peak RSS. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Measured {
  wallS: number;
  /** Peak RSS from `/usr/bin/time -v`, or null where that tool is missing. */
  rssMb: number | null;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One run under /usr/bin/time -v: wall clock from here, peak RSS from time's report. */
export function measure(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Measured {
  const haveTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const r = haveTime
    ? spawnSync('/usr/bin/time', ['-v', cmd, ...args], {
        cwd,
        env,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      })
    : spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallS = (performance.now() - start) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return {
    wallS,
    rssMb: rss ? Number(rss[1]) / 1024 : null,
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '').replace(/\tCommand being timed[\s\S]*$/, ''),
  };
}
