import { spawn } from 'node:child_process';

/** What a finished command printed, and how it ended. */
export interface CommandResult {
  /** Exit code; `null` when a signal ended it. */
  readonly code: number | null;
  /** stdout and stderr interleaved in arrival order, decoded as UTF-8. */
  readonly output: string;
}

/** Options for {@link runCommand}. */
export interface RunCommandOptions {
  /** Extra environment variables, merged over `process.env`. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Kills the command (SIGKILL) after this many milliseconds.
   * @default 600_000
   */
  readonly timeoutMs?: number;
}

/**
 * Runs a program to completion and collects its output. Rejects only when the program could not
 * be started at all (an `ENOENT` error when it does not exist); a non-zero exit is a result, so
 * callers can fall back to the next way of doing things and say why.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** The last `lines` lines of a command's output, for error messages that stay readable. */
export function tail(output: string, lines = 15): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

/** True when `err` is Node's "no such file" error, i.e. the program is not installed. */
export function isNotFound(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
