import type { CaseId } from '../cases.js';

/**
 * What a case needs from a client library: the six commands of issue 3's cases and an explicit
 * pipeline, each called exactly as that library's users call it. Nothing here converts replies:
 * shapes are normalised only by `pipelineReplies`, outside timing, for the checks.
 */

export interface BenchClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  /** One explicit pipeline (not a transaction) of SETs, sent with one `exec`. */
  pipelineSets(keys: readonly string[], values: readonly string[]): Promise<unknown>;
  lrange(key: string, start: number, stop: number): Promise<unknown>;
  hgetall(key: string): Promise<unknown>;
  mget(keys: readonly string[]): Promise<unknown>;
  /** `MULTI`, `INCR key`, `EXPIRE key ttl`, `EXEC`: one transaction, as the library's users write it. */
  incrExpire(key: string, ttl: number): Promise<unknown>;
  /** The INCR's result in what `incrExpire` resolved with (untimed, for the check). */
  incrOf(result: unknown): unknown;
  /** `CLIENT INFO` through the library's generic command call (untimed: tells which RESP it speaks). */
  clientInfo(): Promise<unknown>;
  /** What the client says about its own setup, for the table's note (fusedis: which decoder). */
  describe?(): string | undefined;
  /** The per-command results of `pipelineSets`, each `'OK'` or an error (untimed, for the check). */
  pipelineReplies(result: unknown): unknown[];
  close(): Promise<void>;
}

/** Where the children connect: the runner's throwaway redis-server. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/** Peers that are client libraries; `raw` is the ceiling and has its own cases. */
export type ClientPeerId =
  | 'fusedis'
  | 'fusedis-js'
  | 'fusedis-native'
  | 'ioredis'
  | 'ioredis-auto'
  | 'node-redis'
  | 'glide';
/**
 * `raw` is the ceiling; `raw-promises` is the same socket with one promise per command, resolved
 * as its reply is counted (b3 only: the floor of any client whose `get()` returns a promise).
 */
export type PeerId = ClientPeerId | 'raw' | 'raw-promises';

/** The `resp=` field of a `CLIENT INFO` reply (a string, or a Buffer from some clients). */
export function respOf(info: unknown): string {
  const m = /\bresp=(\d)/.exec(String(info));
  return m === null ? '?' : `RESP${m[1]}`;
}

export const PEER_IDS: readonly PeerId[] = [
  'fusedis',
  'fusedis-js',
  'fusedis-native',
  'ioredis',
  'ioredis-auto',
  'node-redis',
  'glide',
  'raw',
  'raw-promises',
];

/**
 * fusedis with `decoder: 'js'` and with `decoder: 'native'` (issue 6's end-to-end comparison of
 * the two decoders): run when named in `--peers`, not by default. Neither is a peer the targets
 * compare against.
 */
export const DECODER_PEER_IDS: readonly PeerId[] = ['fusedis-js', 'fusedis-native'];

/** What runs when `--peers` is not given. */
export const DEFAULT_PEER_IDS: readonly PeerId[] = PEER_IDS.filter((p) => !DECODER_PEER_IDS.includes(p));

/** fusedis itself, in any decoder setup. */
export const isFusedisPeer = (peer: PeerId): boolean => peer === 'fusedis' || DECODER_PEER_IDS.includes(peer);

/** Bare sockets (the ceiling and its promise-per-command floor): no client library, no values. */
export const isRawPeer = (peer: PeerId): peer is 'raw' | 'raw-promises' =>
  peer === 'raw' || peer === 'raw-promises';

/** Whether `peer` runs `caseId`: `raw-promises` differs from `raw` only where one promise covers many commands (b3). */
export const peerRunsCase = (peer: PeerId, caseId: CaseId): boolean =>
  peer !== 'raw-promises' || caseId === 'b3';
