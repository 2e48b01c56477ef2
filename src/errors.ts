/**
 * The one error class of dbcanon. Every failure a user can cause (bad config, a malformed document, a broken
 * migration, an unreachable database) is a DbcanonError with a stable code and, where one exists, a location.
 * The CLI prints it once; library code never prints and never exits.
 *
 * Codes are grouped by prefix so that a code tells where it came from (as PostgREST groups its codes):
 * CONFIG_*, DOC_*, SQL_*, MIGRATE_*, DB_*, CODE_*, CLI_*, IO_*.
 */
export type ErrorCode =
  | 'CLI_USAGE'
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_PARSE'
  | 'IO_READ'
  | 'IO_WRITE'
  | 'DOC_PARSE'
  | 'SQL_PARSE'
  | 'MIGRATE_CHANGED'
  | 'MIGRATE_MISSING'
  | 'MIGRATE_ORDER'
  | 'MIGRATE_FAILED'
  | 'MIGRATE_TRANSACTION_CONTROL'
  | 'MIGRATE_LOCKED'
  | 'MIGRATE_EXISTS'
  | 'MIGRATE_NAME'
  | 'DB_CONNECT'
  | 'DB_QUERY'
  | 'DB_NO_URL'
  | 'CODE_SCAN'
  | 'INPUT_INVALID';

export interface SourceLocation {
  /** Path relative to the project root where possible. */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

/** Exit code the CLI uses for an error of this code: 2 for usage/config/I-O, 1 for a failed operation. */
export function exitCodeFor(code: ErrorCode): 1 | 2 {
  return code.startsWith('CLI_') ||
    code.startsWith('CONFIG_') ||
    code.startsWith('IO_') ||
    code === 'DB_NO_URL' ||
    code === 'MIGRATE_EXISTS' ||
    code === 'MIGRATE_NAME'
    ? 2
    : 1;
}

export interface DbcanonErrorOptions {
  location?: SourceLocation;
  /** How to fix it, one sentence. */
  hint?: string;
  /** Extra lines printed under the message (e.g. a statement snippet with a caret, a list of config problems). */
  details?: string[];
  cause?: unknown;
}

export class DbcanonError extends Error {
  readonly code: ErrorCode;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, options: DbcanonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DbcanonError';
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  /** `file:line:column` (as much of it as is known), or '' without a location. */
  where(): string {
    const l = this.location;
    if (!l) return '';
    return [l.file, l.line, l.line !== undefined ? l.column : undefined]
      .filter((p) => p !== undefined)
      .join(':');
  }

  /** The text the CLI prints: location, code, message, details, hint. No stack. */
  format(): string {
    const where = this.where();
    const head = `${where ? `${where}: ` : ''}error ${this.code}: ${this.message}`;
    const lines = [head, ...this.details.map((d) => `  ${d}`)];
    if (this.hint) lines.push(`  hint: ${this.hint}`);
    return lines.join('\n');
  }
}

export function isDbcanonError(e: unknown): e is DbcanonError {
  return e instanceof DbcanonError;
}
