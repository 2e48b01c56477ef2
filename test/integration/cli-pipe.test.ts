/**
 * The CLI as a shell pipeline runs it: a reader that closes the pipe early (`dbcanon check | head -1`) must not
 * turn into a crash with a stack trace, and the exit code must still be the command's result.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempProject } from '../support/temp-project.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/dbcanon.js');

/** Runs the CLI with its stdout closed by the reader before the command writes anything (`| head -c 0`). */
function runClosingEarly(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.destroy();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('dbcanon writing into a pipe the reader closed', () => {
  it('finishes quietly and keeps the exit code of its result', async () => {
    // Findings of severity error: tables in the migrations that the document lacks.
    const files: Record<string, string> = {
      'DATABASE_SCHEMA.md': '# Database Schema\n\n## PRODUCTION TABLES\n',
    };
    for (let i = 0; i < 20; i++) {
      const n = String(i).padStart(3, '0');
      files[`migrations/20250101000${n}_t${n}.sql`] =
        `-- Up Migration\ncreate table undocumented_table_${n} (id bigint primary key);\n`;
    }
    const root = tempProject(files);
    const text = await runClosingEarly(['check'], root);
    expect(text.stderr).not.toMatch(/EPIPE|Unhandled|at .*\(node:/);
    expect(text.code).toBe(1);
    const json = await runClosingEarly(['check', '--format', 'json'], root);
    expect(json.stderr).not.toMatch(/EPIPE|Unhandled|at .*\(node:/);
    expect(json.code).toBe(1);
  }, 60_000);
});
