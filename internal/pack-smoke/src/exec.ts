import { spawnSync } from 'node:child_process';

/** What a finished child process left: whether it exited 0, and its stdout and stderr together. */
export interface RunResult {
  readonly ok: boolean;
  readonly output: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** @default 300_000 (5 minutes; a build or an install on a slow CI machine) */
  readonly timeoutMs?: number;
}

/** Runs `command args…` to completion without a shell, capturing its output. Never throws. */
export function run(command: string, args: readonly string[], options: RunOptions): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.error !== undefined) {
    return { ok: false, output: `${command} could not run: ${result.error.message}\n${output}`.trim() };
  }
  if (result.status !== 0) {
    const how = result.signal === null ? `exit code ${result.status}` : `signal ${result.signal}`;
    return { ok: false, output: `${command} ${args.join(' ')} failed (${how})\n${output}`.trim() };
  }
  return { ok: true, output };
}

/**
 * The environment for `npm` in a consumer project: this process's, minus the `npm_*` variables
 * that pnpm sets for the script running us (npm would read them as its own configuration).
 */
export function cleanNpmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && !/^pnpm_/i.test(key)) env[key] = value;
  }
  env.npm_config_update_notifier = 'false';
  return env;
}
