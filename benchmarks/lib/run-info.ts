/** Where and how a run measures: the machine, the revision, and which fusedis the children load. */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { REPO_DIR } from './paths.js';

/** Where and how a run measured: stored with its samples and printed at the top of its reports. */
export interface RunMeta {
  /** When the run started, ISO 8601. */
  readonly date: string;
  readonly node: string;
  readonly v8: string;
  /** `cpuName()`. */
  readonly cpu: string;
  /** How the children (and a server) were pinned, in words. */
  readonly pinned: string;
  /** Which fusedis the children ran (`fusedisFrom`), or why none did. */
  readonly fusedis: string;
  /** `gitRevision()`. */
  readonly revision: string;
  /** Rounds done. */
  readonly rounds: number;
  readonly elapsedSeconds: number;
  /** Child processes run. */
  readonly children: number;
}

/** The first fields of every `RunMeta`: when the run started (`Date.now()` ms) and on what. */
export function machineMeta(started: number): Pick<RunMeta, 'date' | 'node' | 'v8' | 'cpu'> {
  return {
    date: new Date(started).toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: cpuName(),
  };
}

/** `AMD EPYC × 2`: the CPU model and how many the process may use. */
export function cpuName(): string {
  return `${cpus()[0]?.model ?? 'unknown CPU'} × ${availableParallelism()}`;
}

/** The short HEAD revision, plus `dirtyNote` when `paths` have uncommitted changes. */
export function gitRevision(paths: readonly string[], dirtyNote: string): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--', ...paths], {
    cwd: REPO_DIR,
    encoding: 'utf8',
  });
  const rev = head.status === 0 ? head.stdout.trim() : 'no commit yet';
  return (dirty.stdout ?? '').trim().length > 0 ? `${rev}, ${dirtyNote}` : rev;
}

/** How the children load fusedis: its TS sources through tsx, or the built dist; `entry` is what resolved. */
export function fusedisFrom(source: boolean, entry: string): string {
  return `${source ? 'TS sources via tsx (--conditions=@fusedis/source)' : 'built dist (the package build script)'}, ${entry}`;
}
