/** What a command may touch of the outside world; tests pass their own to capture output. */
export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /**
   * Resolves when the user asks to stop (SIGINT/SIGTERM). Only long-running commands (tail, watch) call it:
   * calling it replaces the default "kill on Ctrl-C" with a clean shutdown that the command must perform.
   */
  interrupted(): Promise<void>;
}

export type CommandRun = (args: string[], io: CliIo) => Promise<number>;

export function processIo(): CliIo {
  let interrupted: Promise<void> | undefined;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    interrupted: () => {
      interrupted ??= new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      return interrupted;
    },
  };
}

/** A CliIo that records what was written; for tests and for calling commands from code. */
export function memoryIo(
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  interrupted: Promise<void> = new Promise<void>(() => {}),
): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: process.stdin,
    cwd,
    env,
    interrupted: () => interrupted,
    out: () => out,
    err: () => err,
  };
}
