import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

describe('dbcanon check (arguments)', () => {
  it('--help lists the options and suppression syntax, exit 0', async () => {
    const io = memoryIo(process.cwd());
    expect(await main(['check', '--help'], io)).toBe(0);
    for (const s of [
      '--db URL',
      '--format',
      '--baseline FILE',
      '--update-baseline',
      '--preset',
      '<!-- dbcanon-ignore',
    ]) {
      expect(io.out()).toContain(s);
    }
  });

  it.each([
    [['--format', 'xml'], '--format takes text, json, sarif, github'],
    [['--preset', 'lenient'], '--preset takes recommended or strict'],
    [['--update-baseline'], '--update-baseline needs a baseline file'],
    [['--colour'], "Unknown option '--colour'"],
    [['extra'], "unexpected argument 'extra'"],
    [['--config', 'missing.json'], 'cannot read config file'],
  ])('%j is a usage/config error (exit 2)', async (args, message) => {
    const io = memoryIo(process.cwd());
    expect(await main(['check', ...args], io)).toBe(2);
    expect(io.err()).toContain(message);
  });
});
