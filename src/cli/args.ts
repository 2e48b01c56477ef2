import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DbcanonError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * Parses a command's arguments strictly: an unknown flag or a missing value is a usage error (exit 2) that
 * names the flag and the command's --help.
 */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new DbcanonError('CLI_USAGE', (e as Error).message.replace(/\. To specify.*$/s, ''), {
      hint: `see \`dbcanon ${command} --help\``,
    });
  }
}

/** Parses a positive integer flag value, or throws a usage error naming the flag. */
export function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new DbcanonError('CLI_USAGE', `${flag} takes a whole number of 1 or more, not '${value}'`);
  }
  return n;
}
