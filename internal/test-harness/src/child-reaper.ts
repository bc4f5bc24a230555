import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/*
 * Servers must never outlive the process that started them. Two layers:
 *
 * 1. In process: every live server is tracked. When the event loop runs dry with servers still up
 *    (`beforeExit`: someone forgot `stop()`), they are stopped the normal way. On `exit` (uncaught
 *    exception, process.exit) and on SIGINT/SIGTERM/SIGHUP they are killed and their folders
 *    removed, synchronously.
 * 2. Out of process, for deaths no handler sees (SIGKILL, OOM killer, a crashed worker thread's
 *    host): each server gets a watchdog, a tiny `sh` that blocks reading a pipe from us. When we
 *    die, the kernel closes the pipe, `read` returns, and the watchdog kills the server and removes
 *    its folder. It ignores INT/TERM/HUP and runs in its own process group so a Ctrl-C aimed at us
 *    does not take it down before it has done its job.
 */

const WATCHDOG_SCRIPT = [
  "trap '' INT TERM HUP",
  'read -r _',
  'kill -KILL "$1" 2>/dev/null',
  // Let the kill land before removing the folder: wait while the process exists and is not yet a
  // zombie (a zombie runs no code; PID 1 reaps it whenever it gets to it). Bounded to one second.
  'n=0',
  'while [ $n -lt 20 ] && [ -e "/proc/$1" ] && ! grep -q "^State:[[:space:]]*Z" "/proc/$1/status" 2>/dev/null; do',
  '  sleep 0.05; n=$((n+1))',
  'done',
  'rm -rf -- "$2"',
].join('\n');

interface Tracked {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly stop: () => Promise<void>;
  readonly watchdog: ChildProcess | undefined;
}

const tracked = new Map<ChildProcess, Tracked>();
let hooksInstalled = false;

/**
 * Registers a freshly spawned server and its temp folder: both go away when this process ends,
 * however it ends. `stop` is the graceful way, used when there is still time for it.
 * Call {@link untrack} once the server has exited.
 */
export function track(child: ChildProcess, dir: string, stop: () => Promise<void>): void {
  installHooks();
  tracked.set(child, { child, dir, stop, watchdog: startWatchdog(child, dir) });
}

/** Forgets a server that has exited, and stops its watchdog. */
export function untrack(child: ChildProcess): void {
  const entry = tracked.get(child);
  if (entry === undefined) return;
  tracked.delete(child);
  entry.watchdog?.kill('SIGKILL');
}

/** How many servers this process is still responsible for (for leak checks in tests). */
export function trackedCount(): number {
  return tracked.size;
}

function startWatchdog(child: ChildProcess, dir: string): ChildProcess | undefined {
  if (child.pid === undefined || process.platform === 'win32') return undefined;
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'fusedis-watchdog', String(child.pid), dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  // A missing /bin/sh only costs the second layer; the in-process hooks still apply.
  watchdog.on('error', () => {});
  // Neither the watchdog nor its pipe may keep our event loop alive.
  watchdog.unref();
  const stdin = watchdog.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null;
  stdin?.unref?.();
  return watchdog;
}

function killAllNow(): void {
  for (const { child, dir, watchdog } of tracked.values()) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
    watchdog?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  tracked.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('beforeExit', () => {
    // stop() holds the loop open with its own timer, so the process exits once they are down.
    for (const { stop } of tracked.values()) stop().catch(() => {});
  });
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllNow();
      // With a listener attached Node no longer exits on the signal. If ours is the only one,
      // restore the default behaviour and raise the signal again; otherwise the other listener
      // (e.g. vitest's) decides what happens next.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}
