import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

describe('cli main', () => {
  it('--help lists every command of the contract and exits 0', async () => {
    const io = memoryIo(process.cwd());
    expect(await main(['--help'], io)).toBe(0);
    for (const c of ['check', 'migrate', 'doc', 'refs', 'vtid', 'events', 'ledger', 'db']) {
      expect(io.out()).toMatch(new RegExp(`^  ${c} `, 'm'));
    }
  });

  it('an unknown command is a usage error (exit 2) printed once, without a stack', async () => {
    const io = memoryIo(process.cwd());
    expect(await main(['chekc'], io)).toBe(2);
    expect(io.err()).toContain("unknown command 'chekc'");
    expect(io.err().match(/unknown command/g)).toHaveLength(1);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });
});
