/**
 * Reply shapes of the stream commands. An entry is `[id, [field, value, …]]` on both protocols;
 * XREAD's streams come as `[[name, entries], …]` on RESP2 and as a map on RESP3: both become
 * `{ name, entries }[]`.
 */
import { camelRecord } from './record-shapes.js';

/** One stream entry. Field values are Buffers in buffer mode; a repeated field name keeps its last value. */
export interface StreamEntry {
  readonly id: string;
  readonly fields: Record<string, string>;
}

/**
 * One entry delivered to a consumer group. Reading a group's history (an id other than `>`)
 * returns entries deleted since delivery with `fields: null`.
 */
export interface StreamGroupEntry {
  readonly id: string;
  readonly fields: Record<string, string> | null;
}

/** The entries one stream returned to XREAD / XREADGROUP. */
export interface StreamReadResult<E = StreamEntry> {
  /** The stream's key (always a string: RESP3 sends it as a map key). */
  readonly name: string;
  readonly entries: E[];
}

/** `[field, value, …]` (or nil, for a deleted entry) as a null-prototype object. */
export function toFields(raw: unknown): Record<string, string> | null {
  if (raw === null || raw === undefined) return null;
  const fields: Record<string, string> = Object.create(null);
  const flat = raw as unknown[];
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = flat[i + 1] as string;
  return fields;
}

/** `[id, fields]` as an entry; a nil entry stays null. */
export function toEntry(raw: unknown): StreamGroupEntry | null {
  if (raw === null || raw === undefined) return null;
  const [id, fields] = raw as [string, unknown];
  return { id, fields: toFields(fields) };
}

/** An array of entries; nil items (deleted entries in XCLAIM replies) are dropped. */
export function toEntries(reply: unknown): StreamEntry[] {
  const entries: StreamEntry[] = [];
  for (const raw of (reply ?? []) as unknown[]) {
    const entry = toEntry(raw);
    if (entry !== null) entries.push(entry as StreamEntry);
  }
  return entries;
}

/** XREAD / XREADGROUP: nil (timeout) stays null. */
export function toReadResults(reply: unknown): StreamReadResult<StreamGroupEntry>[] | null {
  if (reply === null || reply === undefined) return null;
  const results: StreamReadResult<StreamGroupEntry>[] = [];
  const add = (name: unknown, entries: unknown): void => {
    results.push({ name: String(name), entries: ((entries ?? []) as unknown[]).map(toGroupEntry) });
  };
  if (Array.isArray(reply)) for (const [name, entries] of reply as [unknown, unknown][]) add(name, entries);
  else if (reply instanceof Map) for (const [name, entries] of reply) add(name, entries);
  else for (const [name, entries] of Object.entries(reply as Record<string, unknown>)) add(name, entries);
  return results;
}

function toGroupEntry(raw: unknown): StreamGroupEntry {
  const [id, fields] = raw as [string, unknown];
  return { id, fields: toFields(fields) };
}

/** XINFO STREAM (without FULL). */
export interface StreamInfo {
  readonly length: number;
  readonly radixTreeKeys: number;
  readonly radixTreeNodes: number;
  readonly lastGeneratedId: string;
  readonly maxDeletedEntryId: string;
  readonly entriesAdded: number;
  readonly recordedFirstEntryId: string;
  readonly groups: number;
  readonly firstEntry: StreamEntry | null;
  readonly lastEntry: StreamEntry | null;
  /** Fields newer servers add, camelCased. */
  readonly [field: string]: unknown;
}

/** XINFO STREAM as a {@link StreamInfo}; `first-entry`/`last-entry` become entries. */
export function toStreamInfo(reply: unknown): StreamInfo {
  return camelRecord<StreamInfo>(reply, (key, raw) =>
    key === 'firstEntry' || key === 'lastEntry' ? toEntry(raw) : raw,
  );
}

/** XINFO STREAM key FULL: groups, consumers and entries spelled out; keys camelCased. */
export interface StreamInfoFull {
  readonly length: number;
  readonly lastGeneratedId: string;
  readonly entries: StreamEntry[];
  readonly groups: Record<string, unknown>[];
  readonly [field: string]: unknown;
}

/** XINFO STREAM FULL as a {@link StreamInfoFull}: entries shaped, groups and consumers camelCased. */
export function toStreamInfoFull(reply: unknown): StreamInfoFull {
  return camelRecord<StreamInfoFull>(reply, (key, raw) => {
    if (key === 'entries') return toEntries(raw);
    if (key === 'groups')
      return ((raw ?? []) as unknown[]).map((group) =>
        camelRecord(group, (gk, gv) =>
          gk === 'consumers' ? ((gv ?? []) as unknown[]).map((c) => camelRecord(c)) : gv,
        ),
      );
    return raw;
  });
}

/** One consumer group (XINFO GROUPS). `entriesRead` and `lag` are null when Redis cannot tell. */
export interface StreamGroupInfo {
  readonly name: string;
  readonly consumers: number;
  readonly pending: number;
  readonly lastDeliveredId: string;
  readonly entriesRead: number | null;
  readonly lag: number | null;
  readonly [field: string]: unknown;
}

/** One consumer (XINFO CONSUMERS); `idle` and `inactive` in milliseconds (`inactive` -1: never active). */
export interface StreamConsumerInfo {
  readonly name: string;
  readonly pending: number;
  readonly idle: number;
  readonly inactive: number;
  readonly [field: string]: unknown;
}

/** A list of flat arrays or maps (XINFO GROUPS/CONSUMERS) as camelCased objects. */
export function toRecords<T>(reply: unknown): T[] {
  return ((reply ?? []) as unknown[]).map((item) => camelRecord<T>(item));
}

/** XPENDING key group (summary form). */
export interface StreamPendingSummary {
  /** Messages delivered and not acknowledged. */
  readonly count: number;
  /** Smallest and greatest pending ids, null when nothing is pending. */
  readonly minId: string | null;
  readonly maxId: string | null;
  /** Pending messages per consumer. */
  readonly consumers: { readonly name: string; readonly pending: number }[];
}

/** `[count, min, max, [[consumer, n], …]]` (nil ids and list when nothing is pending). */
export function toPendingSummary(reply: unknown): StreamPendingSummary {
  const [count, minId, maxId, consumers] = reply as [number, string | null, string | null, unknown[] | null];
  return {
    count: Number(count),
    minId,
    maxId,
    consumers: (consumers ?? []).map((c) => {
      const [name, pending] = c as [string, unknown];
      return { name, pending: Number(pending) };
    }),
  };
}

/** One pending message (XPENDING key group start end count). */
export interface StreamPendingEntry {
  readonly id: string;
  readonly consumer: string;
  /** Milliseconds since it was last delivered. */
  readonly idle: number;
  /** How many times it was delivered. */
  readonly deliveries: number;
}

/** `[[id, consumer, idle, deliveries], …]` as objects. */
export function toPendingEntries(reply: unknown): StreamPendingEntry[] {
  return (reply as [string, string, number, number][]).map(([id, consumer, idle, deliveries]) => ({
    id,
    consumer,
    idle,
    deliveries,
  }));
}

/** XAUTOCLAIM: where to continue, the claimed entries, and ids that were deleted meanwhile. */
export interface StreamAutoClaim<T = StreamEntry> {
  /** Pass as `start` to the next call; `'0-0'` when the whole PEL was scanned. */
  readonly nextId: string;
  readonly entries: T[];
  /** Pending ids whose entries no longer exist (Redis removed them from the PEL). */
  readonly deletedIds: string[];
}

/** `[next, entries, deleted]` as a {@link StreamAutoClaim}. */
export function toAutoClaim(reply: unknown): StreamAutoClaim {
  const [nextId, entries, deletedIds] = reply as [string, unknown, string[] | undefined];
  return { nextId, entries: toEntries(entries), deletedIds: deletedIds ?? [] };
}

/** `[next, ids, deleted]` (JUSTID) as a {@link StreamAutoClaim} of ids. */
export function toAutoClaimJustId(reply: unknown): StreamAutoClaim<string> {
  const [nextId, ids, deletedIds] = reply as [string, string[], string[] | undefined];
  return { nextId, entries: ids, deletedIds: deletedIds ?? [] };
}
