import type { Command, CommandArg, StringMode } from '@fusedis/resp';
import type { CallOptions, ClientCore } from './internal/client-core.js';
import { checkOptionsArgument, keysOf } from './internal/option-checks.js';
import type { ScanTarget } from './internal/router-pubsub.js';
import { stringModeOf } from './internal/string-mode.js';

/** Options shared by every scan iterator. */
export interface ScanBaseOptions {
  /** Glob-style pattern (`MATCH`); with a key prefix on `scanIterator`, the prefix is put in front. @default every element */
  readonly match?: string;
  /** `COUNT` hint: roughly how much work the server does per step (not a page size). @default the server's (10) */
  readonly count?: number;
  /** Stops the iteration: the pending step rejects, and the loop throws, with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Strings as Buffers. @default the client's `returnBuffers` */
  readonly returnBuffers?: boolean;
}

/** Options of `scanIterator`. */
export interface ScanIteratorOptions extends ScanBaseOptions {
  /** Only keys of this type (`TYPE`, Redis 6+): `'string'`, `'hash'`, `'zset'`… @default every type */
  readonly type?: string;
}

/** A sorted-set member with its score, as `zscanIterator` yields it. */
export interface ScoredMember<T = string> {
  readonly value: T;
  /** The score (`Infinity`/`-Infinity` for `+inf`/`-inf`). */
  readonly score: number;
}

/** What a scan iterator yields for its options: Buffers with `returnBuffers: true`, else strings. */
export type ScanString<O> = O extends { readonly returnBuffers: true } ? Buffer : string;

/**
 * Every key of the database, one at a time, by looping `SCAN` until its cursor is back to 0.
 *
 * With a key prefix, `MATCH` gets the prefix (glob characters in it escaped), so only this
 * client's keys come back, and they come back without it — the names you would pass to `get`.
 * `SCAN` guarantees every key present for the whole iteration is seen, but may yield a key
 * twice if the keyspace is rehashed meanwhile. On a cluster, every master is scanned in turn,
 * each with its own cursor (replicas are skipped), so each key comes from the node that owns it.
 * The guarantee is per node: a key that a resharding moves mid-scan, from a master not yet scanned
 * to one already scanned, is missed, and one moving the other way is seen twice.
 */
export function scanIterator<O extends ScanIteratorOptions>(
  core: ClientCore,
  options?: O,
): AsyncGenerator<ScanString<O>>;
export async function* scanIterator(
  core: ClientCore,
  options: ScanIteratorOptions = {},
): AsyncGenerator<string | Buffer> {
  for await (const batch of scanBatches(core, options)) yield* batch;
}

/** {@link scanIterator}'s keys, one array per `SCAN` step (ioredis's `scanStream` chunks). */
export async function* scanBatches(
  core: ClientCore,
  options: ScanIteratorOptions = {},
): AsyncGenerator<(string | Buffer)[]> {
  const prefix = keyPrefixOf(core);
  const match = prefix === '' ? options.match : escapeGlob(prefix) + (options.match ?? '*');
  const extra: CommandArg[] = [];
  if (options.type !== undefined) extra.push('TYPE', options.type);
  const strip = prefix.length;
  const stripBytes = Buffer.byteLength(prefix);
  const targets: readonly (ScanTarget | undefined)[] = (await core.scanTargets()) ?? [undefined];
  for (const target of targets) {
    for await (const batch of steps(core, ['SCAN'], undefined, match, options, extra, target)) {
      const keys = batch as (string | Buffer)[];
      if (strip === 0) yield keys;
      else
        yield keys.map((key) =>
          typeof key === 'string'
            ? key.startsWith(prefix)
              ? key.slice(strip)
              : key
            : key.subarray(stripBytes),
        );
    }
  }
}

/**
 * One array per step of `HSCAN`, `SSCAN` or `ZSCAN` of the collection at `key`, as the server
 * sends it (ioredis's `hscanStream`… chunks): `[field, value, …]`, `[member, …]` or
 * `[member, score, …]` with the scores as text.
 */
export function collectionBatches(
  core: ClientCore,
  command: 'HSCAN' | 'SSCAN' | 'ZSCAN',
  key: CommandArg,
  options: ScanBaseOptions = {},
): AsyncGenerator<readonly unknown[]> {
  return steps(core, [command, key], 1, options.match, options, []);
}

/** Every `[field, value]` of the hash at `key` (`HSCAN`; `key` gets the prefix, fields do not). */
export function hscanIterator<O extends ScanBaseOptions>(
  core: ClientCore,
  key: CommandArg,
  options?: O,
): AsyncGenerator<[field: ScanString<O>, value: ScanString<O>]>;
export async function* hscanIterator(
  core: ClientCore,
  key: CommandArg,
  options: ScanBaseOptions = {},
): AsyncGenerator<[unknown, unknown]> {
  for await (const batch of steps(core, ['HSCAN', key], 1, options.match, options, [])) {
    for (let i = 0; i + 1 < batch.length; i += 2) yield [batch[i], batch[i + 1]];
  }
}

/** Every member of the set at `key` (`SSCAN`). */
export function sscanIterator<O extends ScanBaseOptions>(
  core: ClientCore,
  key: CommandArg,
  options?: O,
): AsyncGenerator<ScanString<O>>;
export async function* sscanIterator(
  core: ClientCore,
  key: CommandArg,
  options: ScanBaseOptions = {},
): AsyncGenerator<unknown> {
  for await (const batch of steps(core, ['SSCAN', key], 1, options.match, options, [])) yield* batch;
}

/** Every `{ value, score }` of the sorted set at `key` (`ZSCAN`). */
export function zscanIterator<O extends ScanBaseOptions>(
  core: ClientCore,
  key: CommandArg,
  options?: O,
): AsyncGenerator<ScoredMember<ScanString<O>>>;
export async function* zscanIterator(
  core: ClientCore,
  key: CommandArg,
  options: ScanBaseOptions = {},
): AsyncGenerator<ScoredMember<unknown>> {
  for await (const batch of steps(core, ['ZSCAN', key], 1, options.match, options, [])) {
    for (let i = 0; i + 1 < batch.length; i += 2) yield { value: batch[i], score: parseScore(batch[i + 1]) };
  }
}

/** The cursor loop: one `*SCAN` per step, yielding each step's element array. */
async function* steps(
  core: ClientCore,
  head: readonly CommandArg[],
  keyIndex: number | undefined,
  match: string | undefined,
  options: ScanBaseOptions,
  extra: readonly CommandArg[],
  target?: ScanTarget,
): AsyncGenerator<readonly unknown[]> {
  const signal = options.signal;
  const stringMode: StringMode | undefined = stringModeOf(options.returnBuffers);
  const callOptions: CallOptions = {
    ...(signal === undefined ? {} : { signal }),
    ...(stringMode === undefined ? {} : { stringMode }),
  };
  let cursor = '0';
  do {
    signal?.throwIfAborted();
    const args: CommandArg[] = [...head, cursor];
    if (match !== undefined) args.push('MATCH', match);
    if (options.count !== undefined) args.push('COUNT', options.count);
    args.push(...extra);
    let cmd: Command =
      keyIndex === undefined ? { args, readOnly: true } : { args, keyIndexes: [keyIndex], readOnly: true };
    cmd = core.prefix(cmd);
    if (stringMode !== undefined) cmd = { ...cmd, stringMode };
    const reply = (await (target === undefined
      ? core.send(cmd, callOptions)
      : target.send(cmd, callOptions))) as [unknown, unknown[]];
    cursor = String(reply[0]);
    yield reply[1];
  } while (cursor !== '0');
}

const SCAN_OPTIONS = keysOf<ScanIteratorOptions>({
  match: true,
  count: true,
  signal: true,
  returnBuffers: true,
  type: true,
});
const COLLECTION_SCAN_OPTIONS = keysOf<ScanBaseOptions>({
  match: true,
  count: true,
  signal: true,
  returnBuffers: true,
});

/**
 * Refuses an option the scans do not read, naming the one meant: node-redis's `MATCH`/`COUNT`/
 * `TYPE` would otherwise be ignored and the scan visit every key. `type` is `SCAN`'s only.
 */
export function checkScanOptions(options: unknown, method: string, withType: boolean): void {
  checkOptionsArgument(method, options, withType ? SCAN_OPTIONS : COLLECTION_SCAN_OPTIONS);
}

/** The client's key prefix, found by prefixing an empty key (the seam has no field for it). */
export function keyPrefixOf(core: ClientCore): string {
  const probe = core.prefix({ args: ['', ''], keyIndexes: [1] }).args[1];
  if (typeof probe === 'string') return probe;
  return probe instanceof Uint8Array ? Buffer.from(probe).toString() : '';
}

/** The prefix as a literal in a glob pattern: `*`, `?`, `[`, `]` and `\` escaped. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function parseScore(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  const text = String(raw);
  if (text === 'inf' || text === '+inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}
