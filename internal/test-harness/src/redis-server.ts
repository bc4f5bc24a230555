import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { track, untrack } from './child-reaper.js';
import { freePort } from './free-port.js';
import { findServers } from './install-servers.js';
import { INFO_SERVER, infoField, PING, rawRequest } from './raw-request.js';

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /**
   * Extra `redis-server` arguments, appended after the harness's own (`--port`, `--bind` and
   * `--dir` are the harness's to choose; for other settings the later one wins).
   * @default []
   */
  readonly args?: readonly string[];
  /**
   * Listen on this port instead of a free one (e.g. to restart a server where its clients expect
   * it). No retry on another port when it is taken.
   */
  readonly port?: number;
  /**
   * Run as a Sentinel (`--sentinel`) with this configuration text, written to `sentinel.conf` in
   * the server's folder (Sentinel rewrites its config file, so it needs one of its own).
   */
  readonly sentinelConfig?: string;
  /** A module to load with `--loadmodule`, e.g. `(await findServers()).falkordbModule`. */
  readonly module?: string;
  /**
   * The `redis-server` to run.
   * @default (await findServers()).redisServer
   */
  readonly redisServer?: string;
  /**
   * How long to wait for the server to answer PING, in milliseconds.
   * @default 20_000
   */
  readonly startTimeoutMs?: number;
  /**
   * How long `stop()` waits after SIGTERM before it sends SIGKILL, in milliseconds.
   * @default 5_000
   */
  readonly stopTimeoutMs?: number;
}

/** A running `redis-server` on a free loopback port, in its own temp folder. */
export interface RedisServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly pid: number;
  /** `redis_version` as the running server reports it, e.g. `8.2.3`. */
  readonly version: string;
  /** The server's working folder (`--dir`); removed when it stops. */
  readonly dir: string;
  /** True once the process has exited (stopped, killed or crashed). */
  readonly stopped: boolean;
  /** The server's last log lines (stdout and stderr), for failure messages. */
  logs(): string;
  /**
   * Stops the server (SIGTERM, then SIGKILL after `stopTimeoutMs`) and removes its folder.
   * Idempotent; also fine after the server died on its own.
   */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 5;
const LOG_LINES = 200;
const POLL_MS = 20;

/** The server lost the race for its port to another process; startRedis picks another one. */
class PortTakenError extends Error {}

/**
 * Every port startRedis tried was taken. A port given in `args` (a TLS port, and with it a cluster
 * bus port 10,000 above) stays the same through those tries, and may be the one taken: the caller
 * then picks it again and retries.
 */
export class NoFreePortError extends Error {}

/** Tries of `withFreshPort`, each with a freshly picked port (startRedis tries five main ports for each). */
const FRESH_PORT_ATTEMPTS = 3;

/**
 * Runs `start` with a freshly picked port for something startRedis does not pick itself (a TLS
 * port, which with `tls-cluster` also places the cluster bus 10,000 above it), and again with
 * another one when all of startRedis's tries found a port taken: that one may be the taken port.
 */
export async function withFreshPort<T>(
  start: (port: number) => Promise<T>,
  pickPort: () => Promise<number> = freePort,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await pickPort());
    } catch (err) {
      if (!(err instanceof NoFreePortError) || attempt === FRESH_PORT_ATTEMPTS) throw err;
    }
  }
}

/**
 * Starts a `redis-server` on a free loopback port and resolves once it answers PING.
 *
 * It runs with `--save '' --appendonly no` (nothing written to disk), `--protected-mode yes`,
 * `--enable-debug-command local` (tests use `DEBUG PROTOCOL`, `DEBUG SLEEP`), in a fresh temp
 * folder. It is killed when this process ends, however it ends (see child-reaper.ts).
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const redisServer = options.redisServer ?? (await findServers()).redisServer;
  if (options.port !== undefined) return launch(redisServer, options.port, options);
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    try {
      return await launch(redisServer, await freePort(HOST), options);
    } catch (err) {
      if (!(err instanceof PortTakenError)) throw err;
      lastError = err;
    }
  }
  throw new NoFreePortError(
    `redis-server found no free port in ${PORT_ATTEMPTS} attempts: ${lastError?.message}`,
  );
}

async function launch(redisServer: string, port: number, options: StartRedisOptions): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'fusedis-redis-'));
  const sentinelArgs: string[] = [];
  if (options.sentinelConfig !== undefined) {
    const config = join(dir, 'sentinel.conf');
    await writeFile(config, options.sentinelConfig);
    sentinelArgs.push(config, '--sentinel');
  }
  const args = [
    ...sentinelArgs,
    '--port',
    String(port),
    '--bind',
    HOST,
    '--protected-mode',
    'yes',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--enable-debug-command',
    'local',
    ...(options.module === undefined ? [] : ['--loadmodule', options.module]),
    ...(options.args ?? []),
  ];
  const child = spawn(redisServer, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new LogTail(LOG_LINES);
  const server = new ServerProcess(child, dir, log);
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  if (child.pid === undefined) {
    const err = await server.spawnError;
    await server.cleaned;
    throw new Error(`could not start ${redisServer}: ${err.message}`);
  }
  track(child, dir, () => server.stop(stopTimeoutMs));

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  let version: string | undefined;
  for (;;) {
    if (server.exit !== undefined) {
      await server.closed;
      const output = log.text();
      if (output.includes('Address already in use')) {
        await server.cleaned;
        throw new PortTakenError(`port ${port} was taken before redis-server could bind it`);
      }
      await server.cleaned;
      throw new Error(`redis-server exited while starting (${server.exit}):\n${output}`);
    }
    if (Date.now() > deadline) {
      await server.stop(stopTimeoutMs);
      throw new Error(`redis-server on port ${port} did not answer PING in time:\n${log.text()}`);
    }
    const ready = await probe(port, child.pid);
    if (ready === 'port-taken') {
      await server.stop(stopTimeoutMs);
      throw new PortTakenError(`another process answered on port ${port}`);
    }
    if (ready !== undefined) {
      version = ready.version;
      break;
    }
    await sleep(POLL_MS);
  }
  const fallbackVersion =
    version ?? (options.redisServer === undefined ? (await findServers()).redisVersion : 'unknown');
  const watched: WatchedServer = { port, pid: child.pid, process: server, log };
  running.add(watched);
  return {
    host: HOST,
    port,
    pid: child.pid,
    version: fallbackVersion,
    dir,
    get stopped() {
      return server.exit !== undefined;
    },
    logs: () => log.text(),
    stop: () => {
      running.delete(watched);
      return server.stop(stopTimeoutMs);
    },
  };
}

/** A server this process started and has not asked to stop. */
interface WatchedServer {
  readonly port: number;
  readonly pid: number;
  readonly process: ServerProcess;
  readonly log: LogTail;
}

const running = new Set<WatchedServer>();

/**
 * The servers this process started and has not stopped that exited anyway (crashed, killed) or do
 * not answer PING within 1 s, each with its last log lines: what a failing test should show, since
 * a server that died or stalled takes its reason with it.
 */
export async function unwellServers(): Promise<string[]> {
  const reports = await Promise.all(
    [...running].map(async (server) => {
      let state: string;
      if (server.process.exit !== undefined) state = `exited (${server.process.exit}) without stop()`;
      else {
        const answered = await rawRequest(server.port, PING, HOST, 1_000).then(
          () => true,
          () => false,
        );
        if (answered) return undefined;
        state = 'did not answer PING within 1 s';
      }
      return `redis-server pid ${server.pid} on port ${server.port} ${state}; its last lines:\n${server.log.text()}`;
    }),
  );
  return reports.filter((report) => report !== undefined);
}

/**
 * One readiness check. `undefined`: not ready yet (refused, LOADING). `'port-taken'`: a server
 * answered, but it is not ours. Otherwise ready; `version` is absent when the server wants AUTH
 * first (e.g. started with `--requirepass`), which also proves it is up.
 */
async function probe(port: number, pid: number): Promise<{ version?: string } | 'port-taken' | undefined> {
  try {
    const pong = await rawRequest(port, PING, HOST, 1_000);
    if (pong.type === '-' && pong.text?.startsWith('NOAUTH')) return {};
    if (pong.type !== '+' || pong.text !== 'PONG') return undefined;
    const info = await rawRequest(port, INFO_SERVER, HOST, 1_000);
    const text = info.text ?? '';
    if (infoField(text, 'process_id') !== String(pid)) return 'port-taken';
    const version = infoField(text, 'redis_version');
    return version === undefined ? {} : { version };
  } catch {
    return undefined;
  }
}

/** Owns the child: its exit, its folder, and stopping it exactly once. */
class ServerProcess {
  /** How the process ended (`code 0`, `signal SIGTERM`), once it has. */
  exit: string | undefined;
  /** Settles when the process has exited and its stdio has closed. */
  readonly closed: Promise<void>;
  /** Settles when the process has exited and its folder is removed. */
  readonly cleaned: Promise<void>;
  /** Settles with the error when the executable could not be spawned at all. */
  readonly spawnError: Promise<Error>;
  readonly #child: ChildProcess;
  #stopping: Promise<void> | undefined;

  constructor(child: ChildProcess, dir: string, log: LogTail) {
    this.#child = child;
    for (const stream of [child.stdout, child.stderr]) {
      // Always drain the pipes: a server blocked on a full log pipe stops answering.
      stream?.on('data', (chunk: Buffer) => log.append(chunk));
      (stream as (Readable & { unref?: () => void }) | null)?.unref?.();
    }
    // A forgotten server must not hold the event loop open; the exit hooks kill it instead.
    child.unref();
    this.spawnError = new Promise((resolve) => child.once('error', resolve));
    const exited = new Promise<void>((resolve) => {
      const done = (how: string): void => {
        this.exit ??= how;
        untrack(child);
        resolve();
      };
      child.once('exit', (code, signal) => done(signal === null ? `code ${code}` : `signal ${signal}`));
      child.once('error', (err) => done(`spawn error: ${err.message}`));
    });
    this.closed = Promise.race([
      new Promise<void>((resolve) => child.once('close', () => resolve())),
      this.spawnError.then(() => {}),
    ]);
    this.cleaned = exited.then(() => rm(dir, { recursive: true, force: true, maxRetries: 3 }));
  }

  /** SIGTERM (Redis shuts down without saving, as `--save ''` asks), SIGKILL if it lingers. */
  stop(timeoutMs: number): Promise<void> {
    this.#stopping ??= this.#stop(timeoutMs);
    return this.#stopping;
  }

  async #stop(timeoutMs: number): Promise<void> {
    // A signal rather than SHUTDOWN over a socket: it works whatever a test did to the server
    // (requirepass, CLIENT PAUSE, a full connection limit).
    if (this.exit === undefined) {
      this.#child.kill('SIGTERM');
      const timeout = new AbortController();
      const gone = await Promise.race([
        this.cleaned.then(() => true),
        sleep(timeoutMs, false, { signal: timeout.signal }).catch(() => false),
      ]);
      timeout.abort();
      if (!gone) this.#child.kill('SIGKILL');
    }
    await this.cleaned;
  }
}

/** The last lines of a server's output. */
class LogTail {
  readonly #lines: string[] = [];
  readonly #max: number;
  #partial = '';

  constructor(max: number) {
    this.#max = max;
  }

  append(chunk: Buffer): void {
    const lines = (this.#partial + chunk.toString('utf8')).split('\n');
    this.#partial = lines.pop() ?? '';
    this.#lines.push(...lines);
    if (this.#lines.length > this.#max) this.#lines.splice(0, this.#lines.length - this.#max);
  }

  text(): string {
    return [...this.#lines, this.#partial].join('\n').trimEnd();
  }
}
