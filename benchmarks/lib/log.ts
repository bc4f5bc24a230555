/** Progress output of the runners: one line to stdout (the children's stdout is their result). */
export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The message of anything thrown, for a progress line or a row's error list. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
