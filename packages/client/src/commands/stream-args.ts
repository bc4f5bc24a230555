import { type CommandArg, InvalidArgumentError } from '@fusedis/resp';
import { requireFields } from './argument-shapes.js';
import { BLOCKING_MARGIN_MS, isFieldValues } from './arguments.js';

/**
 * What happens to consumer groups' references when entries are trimmed or deleted (Redis 8.2):
 * `KEEPREF` keeps them in the PELs (the pre-8.2 behaviour), `DELREF` removes them from every PEL,
 * `ACKED` only touches entries every group has acknowledged.
 */
export type StreamRefPolicy = 'KEEPREF' | 'DELREF' | 'ACKED';

/** Stream trimming, for XADD and XTRIM. */
export interface StreamTrim {
  /** `MAXLEN`: keep at most `threshold` entries; `MINID`: drop entries with ids below `threshold`. */
  readonly strategy: 'MAXLEN' | 'MINID';
  readonly threshold: CommandArg;
  /** `'~'`: trim whole macro nodes only (cheaper; may leave a few more entries). @default '=' */
  readonly modifier?: '=' | '~';
  /** With `'~'`: evict at most this many entries per call (`LIMIT n`). @default the server's */
  readonly limit?: number;
}

/** Appends `MAXLEN|MINID [=|~] threshold [LIMIT n]`. */
export function pushTrim(args: CommandArg[], trim: StreamTrim): void {
  requireFields(`${String(args[0])}: a trim`, trim, ['strategy', 'threshold']);
  args.push(trim.strategy, trim.modifier ?? '=', trim.threshold);
  if (trim.limit !== undefined) args.push('LIMIT', trim.limit);
}

/** One stream to read as node-redis names it: `{ key, id }`. */
export interface StreamToRead {
  readonly key: CommandArg;
  readonly id: CommandArg;
}

/**
 * Streams to read and the id to read after: `{ key: id }`, `[key, id]` pairs (binary-safe keys),
 * or node-redis's `[{ key, id }]`.
 */
export type StreamsToRead =
  | Readonly<Record<string, CommandArg>>
  | readonly (readonly [key: CommandArg, id: CommandArg] | StreamToRead)[];

/** XREAD / XREADGROUP options. */
export interface StreamReadOptions {
  /** At most this many entries per stream. @default all */
  readonly COUNT?: number;
  /**
   * Wait up to this many milliseconds for new entries (0: forever); the command then runs on a
   * pooled connection so it never stalls the shared one. @default no blocking
   */
  readonly BLOCK?: number;
}

/**
 * Appends `[COUNT n] [BLOCK ms] … STREAMS k1 k2 … id1 id2 …`; `beforeStreams` runs before
 * `STREAMS` (XREADGROUP's NOACK). Returns the key positions.
 */
export function pushStreams(
  args: CommandArg[],
  streams: StreamsToRead,
  options: StreamReadOptions | undefined,
  beforeStreams?: () => void,
): number[] {
  if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
  if (options?.BLOCK !== undefined) args.push('BLOCK', options.BLOCK);
  beforeStreams?.();
  args.push('STREAMS');
  const pairs = streamPairs(String(args[0]).toLowerCase(), streams);
  const keyIndexes: number[] = [];
  for (const [key] of pairs) {
    keyIndexes.push(args.length);
    args.push(key);
  }
  for (const [, id] of pairs) args.push(id);
  return keyIndexes;
}

/**
 * The reply deadline of a command that blocks `blockMs` milliseconds (XREAD/XREADGROUP BLOCK,
 * WAIT, WAITAOF): the wait plus {@link BLOCKING_MARGIN_MS}, or none (0) for a wait forever, so the
 * client's `commandTimeout` never cuts a wait the caller asked for.
 */
export function blockingTimeout(blockMs: number): number {
  return blockMs > 0 ? Math.ceil(blockMs) + BLOCKING_MARGIN_MS : 0;
}

/** Appends `IDS n id …` (XDELEX, XACKDEL). */
export function pushIds(args: CommandArg[], ids: CommandArg | readonly CommandArg[]): CommandArg[] {
  const list = idList(ids);
  args.push('IDS', list.length);
  for (const id of list) args.push(id);
  return args;
}

/**
 * Entry ids given as one id or an array of them. A single id is never iterated: `'12-0'` read as
 * its characters was the ids 1, 2, - and 0 (entries other than the one meant).
 */
export function idList(ids: CommandArg | readonly CommandArg[]): readonly CommandArg[] {
  return Array.isArray(ids) ? (ids as readonly CommandArg[]) : [ids as CommandArg];
}

/**
 * `streams` as `[key, id]` pairs. node-redis's single `{ key, id }` is refused rather than read as
 * the record it also is (streams named `key` and `id`, read after the ids given as their values):
 * either reading would be a guess, and the wrong one reads other keys without a word.
 */
function streamPairs(
  command: string,
  streams: StreamsToRead,
): readonly (readonly [CommandArg, CommandArg])[] {
  if (!isFieldValues(streams)) {
    // A string would read as a record of its characters: streams named '0', '1'… after ids made of it.
    throw new InvalidArgumentError(
      `${command}: streams must be { [key]: id }, [[key, id]] or [{ key, id }], not ${streams === null ? 'null' : ArrayBuffer.isView(streams) ? 'a byte array' : typeof streams}`,
    );
  }
  if (!Array.isArray(streams)) {
    const record = streams as Readonly<Record<string, CommandArg>>;
    const names = Object.keys(record);
    if (names.length === 2 && 'key' in record && 'id' in record) {
      throw new InvalidArgumentError(
        `${command}: { key, id } is node-redis's single stream; write [{ key, id }], { [key]: id } or [[key, id]] ` +
          '(to read streams named key and id, use pairs)',
      );
    }
    return Object.entries(record);
  }
  return (streams as readonly unknown[]).map((entry, i) => {
    if (Array.isArray(entry) && entry.length === 2)
      return entry as unknown as readonly [CommandArg, CommandArg];
    if (typeof entry === 'object' && entry !== null && 'key' in entry && 'id' in entry) {
      const { key, id } = entry as StreamToRead;
      return [key, id] as const;
    }
    throw new InvalidArgumentError(`${command}: streams[${i}] must be [key, id] or { key, id }`);
  });
}
