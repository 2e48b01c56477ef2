/**
 * The seam between the governance tool and what is built on it. A plugin adds commands to the CLI; the tool
 * never imports a plugin's code, only its entry module, and runs without it. This repository's own platform
 * database (VTID numbering, the OASIS event log, the ledger: src/platform/) is such a plugin: built here, left
 * out of the published package (package.json `files`), so an installed dbcanon has the tool's commands only.
 */
import type { CommandRun } from './io.js';

export interface CommandEntry {
  usage: string;
  summary: string;
  load: () => Promise<{ run: CommandRun }>;
}

export interface CliPlugin {
  /** For messages. */
  name: string;
  commands: Record<string, CommandEntry>;
}

/** The plugins dbcanon looks for beside its own modules (relative to this file). */
export const BUILT_IN_PLUGINS = ['../platform/plugin.js'];

/**
 * The plugins of `specs` that are present. A module that is not there (the published package has no platform) is
 * skipped; any other failure to load one is an error, not a silent loss of its commands.
 */
export async function loadPlugins(
  specs: readonly string[] = BUILT_IN_PLUGINS,
  load: (spec: string) => Promise<{ plugin: CliPlugin }> = (spec) => import(spec),
): Promise<CliPlugin[]> {
  const found: CliPlugin[] = [];
  for (const spec of specs) {
    try {
      found.push((await load(spec)).plugin);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const missing =
        code === 'ERR_MODULE_NOT_FOUND' &&
        String((e as Error).message).includes(spec.replace(/^(\.\.\/)+/, ''));
      if (!missing) throw e;
    }
  }
  return found;
}
