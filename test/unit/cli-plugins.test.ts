import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { type CliPlugin, loadPlugins } from '../../src/cli/plugins.js';

describe('CLI plugins', () => {
  it('adds the commands of the plugins present: this repository’s platform commands', async () => {
    const [platform] = await loadPlugins();
    expect(platform?.name).toBe('platform');
    expect(Object.keys(platform?.commands ?? {})).toEqual(['vtid', 'events', 'ledger']);
    const io = memoryIo(process.cwd());
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/\n {2}vtid +allocate, create and read VTIDs/);
  });

  it('runs without a plugin that is not installed (the published package has no platform)', async () => {
    expect(await loadPlugins(['../platform/absent-plugin.js'])).toEqual([]);
  });

  it('does not hide a plugin that is there but fails to load', async () => {
    const broken = async (): Promise<{ plugin: CliPlugin }> => {
      throw new SyntaxError('Unexpected token');
    };
    await expect(loadPlugins(['../platform/plugin.js'], broken)).rejects.toThrow('Unexpected token');
  });
});
