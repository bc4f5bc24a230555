/** Reply shapes of the server and connection commands (CLIENT LIST, SLOWLOG, LATENCY, ROLE…). */
import { camelRecord, deepCamelRecord } from './record-shapes.js';
import { toDouble, toRecord } from './replies.js';

/** One client of CLIENT LIST / CLIENT INFO: every `name=value` field, as strings (`id`, `addr`, `age`…). */
export type ClientListEntry = Record<string, string>;

/** `id=3 addr=… name= …` (one line per client) as objects; values are strings, empty ones ''. */
export function toClientList(reply: unknown): ClientListEntry[] {
  const entries: ClientListEntry[] = [];
  for (const line of String(reply).split('\n')) {
    if (line.trim() === '') continue;
    entries.push(toClientInfo(line));
  }
  return entries;
}

/** One `name=value name=value` line as an object. */
export function toClientInfo(reply: unknown): ClientListEntry {
  const entry: ClientListEntry = Object.create(null);
  for (const field of String(reply).trim().split(' ')) {
    const eq = field.indexOf('=');
    if (eq > 0) entry[field.slice(0, eq)] = field.slice(eq + 1);
  }
  return entry;
}

/** One SLOWLOG GET entry. */
export interface SlowlogEntry {
  readonly id: number;
  /** Unix time in seconds when the command ran. */
  readonly timestamp: number;
  /** Execution time in microseconds. */
  readonly duration: number;
  /** The command and its arguments (Redis shortens long ones). */
  readonly args: string[];
  readonly clientAddress: string;
  readonly clientName: string;
}

/** `[[id, time, µs, args, addr, name], …]` as {@link SlowlogEntry} objects. */
export function toSlowlog(reply: unknown): SlowlogEntry[] {
  return (reply as unknown[][]).map(([id, timestamp, duration, args, clientAddress, clientName]) => ({
    id: Number(id),
    timestamp: Number(timestamp),
    duration: Number(duration),
    args: args as string[],
    clientAddress: String(clientAddress ?? ''),
    clientName: String(clientName ?? ''),
  }));
}

/** One LATENCY LATEST row: the event's latest and all-time maximum latency, in milliseconds. */
export interface LatencyLatest {
  readonly event: string;
  /** Unix time in seconds of the latest spike. */
  readonly timestamp: number;
  readonly latest: number;
  readonly max: number;
}

/** `[[event, time, latest, max], …]` as objects. */
export function toLatencyLatest(reply: unknown): LatencyLatest[] {
  return (reply as unknown[][]).map(([event, timestamp, latest, max]) => ({
    event: String(event),
    timestamp: Number(timestamp),
    latest: Number(latest),
    max: Number(max),
  }));
}

/** One LATENCY HISTORY sample: Unix time in seconds, latency in milliseconds. */
export interface LatencySample {
  readonly timestamp: number;
  readonly latency: number;
}

/** `[[time, latency], …]` as objects. */
export function toLatencyHistory(reply: unknown): LatencySample[] {
  return (reply as unknown[][]).map(([timestamp, latency]) => ({
    timestamp: Number(timestamp),
    latency: Number(latency),
  }));
}

/** LATENCY HISTOGRAM, per command: calls, and calls per latency bucket (bucket upper bound in µs → count). */
export interface LatencyHistogram {
  readonly calls: number;
  readonly histogramUsec: Record<string, number>;
}

/** Nested maps (RESP3) or flat arrays (RESP2) as `{ command: { calls, histogramUsec } }`. */
export function toLatencyHistograms(reply: unknown): Record<string, LatencyHistogram> {
  return deepCamelRecord(reply, (path) => path.length <= 2) as Record<string, LatencyHistogram>;
}

/** ROLE, by role. Offsets are replication offsets in bytes. */
export type RoleInfo =
  | {
      readonly role: 'master';
      readonly replicationOffset: number;
      readonly replicas: { readonly host: string; readonly port: number; readonly offset: number }[];
    }
  | {
      readonly role: 'replica';
      readonly masterHost: string;
      readonly masterPort: number;
      /** `connect`, `connecting`, `sync`, `connected` or `handshake`. */
      readonly state: string;
      readonly dataReceivedOffset: number;
    }
  | { readonly role: 'sentinel'; readonly masterNames: string[] };

/** The ROLE array as a {@link RoleInfo} (`slave` reads as `replica`). */
export function toRole(reply: unknown): RoleInfo {
  const items = reply as unknown[];
  const role = String(items[0]);
  if (role === 'master') {
    return {
      role,
      replicationOffset: Number(items[1]),
      replicas: ((items[2] ?? []) as unknown[][]).map(([host, port, offset]) => ({
        host: String(host),
        port: Number(port),
        offset: Number(offset),
      })),
    };
  }
  if (role === 'sentinel') return { role, masterNames: ((items[1] ?? []) as unknown[]).map(String) };
  return {
    role: 'replica',
    masterHost: String(items[1]),
    masterPort: Number(items[2]),
    state: String(items[3]),
    dataReceivedOffset: Number(items[4]),
  };
}

/** MEMORY STATS: Redis's own dotted names (`peak.allocated`, `db.0`…), numbers on both protocols. */
export type MemoryStats = Record<string, number | Record<string, number>>;

/** MEMORY STATS with numbers everywhere (RESP2 sends the percentages as strings). */
export function toMemoryStats(reply: unknown): MemoryStats {
  const stats = copyRecord(reply);
  for (const [name, value] of Object.entries(stats)) {
    stats[name] = typeof value === 'object' && value !== null ? numericRecord(value) : numeric(value);
  }
  return stats as MemoryStats;
}

function copyRecord(reply: unknown): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, toRecord<unknown>(reply));
}

function numeric(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'bigint' || value === null) return value;
  const n = toDouble(value);
  return n === null || Number.isNaN(n) ? value : n;
}

function numericRecord(value: unknown): Record<string, unknown> {
  const record = copyRecord(value);
  for (const [name, item] of Object.entries(record)) record[name] = numeric(item);
  return record;
}

/** One ACL LOG entry (camelCased; `ageSeconds` a number on both protocols). */
export interface AclLogEntry {
  readonly count: number;
  readonly reason: string;
  readonly context: string;
  readonly object: string;
  readonly username: string;
  readonly ageSeconds: number;
  readonly clientInfo: string;
  readonly entryId: number;
  readonly timestampCreated: number;
  readonly timestampLastUpdated: number;
  readonly [field: string]: unknown;
}

/** ACL LOG entries, camelCased, `age-seconds` a number. */
export function toAclLog(reply: unknown): AclLogEntry[] {
  return ((reply ?? []) as unknown[]).map((entry) =>
    camelRecord<AclLogEntry>(entry, (key, raw) => (key === 'ageSeconds' ? toDouble(raw) : raw)),
  );
}

/** ACL GETUSER: `flags`, `passwords` (hashes), `commands`, `keys`, `channels`, `selectors`. */
export interface AclUser {
  readonly flags: string[];
  readonly passwords: string[];
  readonly commands: string;
  readonly keys: string;
  readonly channels: string;
  readonly selectors: Record<string, unknown>[];
  readonly [field: string]: unknown;
}

/** ACL GETUSER as an object (null for a missing user); selectors as objects. */
export function toAclUser(reply: unknown): AclUser | null {
  if (reply === null || reply === undefined) return null;
  return deepCamelRecord(
    reply,
    (path) => path.length === 0 || (path[0] === 'selectors' && path.length === 2),
  ) as AclUser;
}

/** CLIENT TRACKINGINFO. */
export interface TrackingInfo {
  /** `off`, `on`, `bcast`, `optin`, `optout`, `caching-yes`, `caching-no`, `noloop`, `broken_redirect`. */
  readonly flags: string[];
  /** The client id invalidations go to; 0: this connection (RESP3), -1: none. */
  readonly redirect: number;
  readonly prefixes: string[];
}

/** CLIENT TRACKINGINFO as an object. */
export function toTrackingInfo(reply: unknown): TrackingInfo {
  return camelRecord<TrackingInfo>(reply);
}
