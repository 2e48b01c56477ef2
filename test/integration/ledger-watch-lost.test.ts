/**
 * `dbcanon ledger watch` whose server processes were terminated, then interrupted with Ctrl-C: it must stop
 * cleanly and say what happened. It used to crash with postgres.js's TypeError stack (a query sent on the
 * reserved session the server had closed).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { BIN } from './migrate-support.js';

const db = useTestDatabase();

describe('ledger watch after its connections were terminated', () => {
  it('Ctrl-C stops it cleanly with a note, without a stack', async () => {
    const child = spawn(process.execPath, [BIN, 'ledger', 'watch', '--debounce', '10'], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | string | null>((resolve) => {
      child.on('close', (code, signal) => resolve(code ?? signal));
    });
    try {
      for (let i = 0; i < 400 && !stdout.includes('listening'); i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(stdout).toContain('listening');
      // Waits (up to 5 s) until each terminated backend is gone.
      const killed = await db.sql<{ ok: boolean }[]>`
        select pg_terminate_backend(pid, 5000) as ok from pg_stat_activity
        where application_name = 'dbcanon ledger watch' and datname = current_database()`;
      expect(killed.length).toBeGreaterThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      const code = await Promise.race([
        exited,
        new Promise<string>((r) => setTimeout(() => r('TIMEOUT'), 15_000)),
      ]);
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/^stopped; projected \d+ events/m);
      expect(stderr).toContain("note: the server closed the watcher's connection during the watch");
      expect(stderr).not.toMatch(/\n\s+at |TypeError/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
