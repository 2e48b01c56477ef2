/**
 * Connection URLs as every command takes them: passwords never printed (in the userinfo or as `?password=`),
 * other schemes and malformed URLs refused as config errors naming where the URL came from.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { redactUrl } from '../../src/db/connect.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-url-'));
// Port 1 refuses at once: these tests never reach a server.
const CLOSED = '127.0.0.1:1';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = memoryIo(cwd, env);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('database URLs', () => {
  it('redactUrl hides a ?password= query parameter as it hides a userinfo password', () => {
    expect(redactUrl('postgres://app:hunter2@db:5432/main')).toBe('postgres://app:***@db:5432/main');
    const redacted = redactUrl('postgres://app@db:5432/main?sslmode=require&password=hunter2');
    expect(redacted).not.toContain('hunter2');
    expect(redacted).toBe('postgres://app@db:5432/main?sslmode=require&password=***');
    expect(redactUrl('postgres://app:hunter2@db:notaport/main?password=hunter2')).not.toContain('hunter2');
  });

  it.each([
    ['migrate', 'status'],
    ['vtid', 'list'],
    ['ledger', 'status'],
  ])('`%s %s` never prints a password given as ?password=', async (...command) => {
    const r = await cli([...command, '--database-url', `postgres://app@${CLOSED}/main?password=hunter2`]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('DB_CONNECT');
    expect(r.err).toContain('password=***');
    expect(r.err + r.out).not.toContain('hunter2');
  });

  it('a mysql:// URL is a config error (exit 2) naming the option, and nothing is tried', async () => {
    const r = await cli(['migrate', 'status', '--database-url', `mysql://app:hunter2@${CLOSED}/main`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error CONFIG_INVALID: --database-url is a mysql:// URL');
    expect(r.err).toContain('only to PostgreSQL');
    expect(r.err).not.toContain('hunter2');
    expect(r.err).not.toContain('DB_CONNECT');
  });

  it('a malformed URL names where it came from: the option, DATABASE_URL, or check --db', async () => {
    const bad = `postgres://app:hunter2@${CLOSED.replace(':1', ':notaport')}/main`;
    const flag = await cli(['migrate', 'status', '--database-url', bad]);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain('error CONFIG_INVALID: --database-url is not a valid URL');
    expect(flag.err).not.toContain('hunter2');

    const env = await cli(['events', 'tail'], { DATABASE_URL: bad });
    expect(env.code).toBe(2);
    expect(env.err).toContain('the DATABASE_URL environment variable is not a valid URL');

    const check = await cli(['check', '--db', bad]);
    expect(check.code).toBe(2);
    expect(check.err).toContain('--db is not a valid URL');
    for (const r of [flag, env, check]) expect(r.err).not.toMatch(/\n\s+at |TypeError|^error: Invalid URL/m);
  });
});
