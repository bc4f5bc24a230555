import type { CaseId } from './cases.js';
import type { RunOptions } from './options.js';
import type { PeakMethod } from './peak-rss.js';
import type { PeerId } from './peers/bench-client.js';

/** A child still running after this long (a lost reply, a stuck connect) is killed and fails its row alone. */
export const CHILD_TIMEOUT_MS = 300_000;

/** One child process's job: one peer on one case against the runner's server. */
export interface Task {
  readonly peer: PeerId;
  readonly caseId: CaseId;
  readonly warmup: number;
  readonly measured: number;
  readonly host: string;
  readonly port: number;
  /** b7's timed window in ms (its warm-up pass runs a quarter of it, at most 1 s). */
  readonly b7Ms: number;
  /** Print a marker line before each pass (`markPass` in lib/deopt-trace.ts; `--deopts` reads them). */
  readonly markPasses?: boolean;
}

/** What a child prints as its last stdout line, as JSON. */
export interface TaskResult {
  /** Per timed pass: milliseconds, or for b7 commands per second. */
  readonly samples: number[];
  /** b1: p50 and p99 command latency of each timed pass, in µs. */
  readonly p50Us?: number[];
  readonly p99Us?: number[];
  /** b4: RSS growth of the first LRANGE in this process over the RSS right before it, in MiB. */
  readonly rssMiB?: number;
  readonly rssMethod?: PeakMethod;
  /** b4: the process's whole peak RSS during that LRANGE, in MiB. */
  readonly rssPeakMiB?: number;
  /** b4: the V8 young generation's size right before and right after that LRANGE, in MiB. */
  readonly youngMiB?: readonly [before: number, after: number];
  /** The protocol the connection speaks, from `CLIENT INFO` (`RESP2`, `RESP3`), and for fusedis its decoder. */
  readonly resp: string;
  /** 'ok', or what was wrong with a pass's result (the child then exits non-zero). */
  readonly check: string;
}

/** The probe's answer: can this child load @fusedis/client, and from where. */
export interface Probe {
  readonly fusedis: boolean;
  readonly entry: string;
  readonly error?: string;
}

/**
 * One task per chosen case × peer, for the runs that look inside a child instead of timing it
 * (`--profile`, `--deopts`): the case's usual passes, one child each.
 */
export function untimedTasks(
  options: RunOptions,
  peers: readonly PeerId[],
  server: { host: string; port: number },
): { caseId: CaseId; peer: PeerId; task: Task }[] {
  return options.cases.flatMap((caseId) =>
    peers.map((peer) => ({
      caseId,
      peer,
      task: { peer, caseId, ...options.iterations[caseId], ...server, b7Ms: options.b7Ms },
    })),
  );
}
