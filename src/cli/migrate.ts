import { DbcanonError } from '../errors.js';
import type { CliIo } from './io.js';

export async function run(_args: string[], _io: CliIo): Promise<number> {
  throw new DbcanonError('CLI_USAGE', '`dbcanon migrate` is not part of this build yet');
}
