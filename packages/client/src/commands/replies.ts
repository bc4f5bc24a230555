/**
 * Reply shapes shared by several command groups. RESP3 already sends maps, doubles and booleans;
 * RESP2 sends flat arrays and strings, so each transform accepts both and returns one shape.
 */

/** A flat `[k1, v1, k2, v2, …]` (RESP2) or a map (RESP3) as a null-prototype object: `__proto__` is data. */
export function toRecord<V>(reply: unknown): Record<string, V> {
  if (Array.isArray(reply)) {
    const record: Record<string, V> = Object.create(null);
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const key = reply[i];
      record[typeof key === 'string' ? key : String(key)] = reply[i + 1] as V;
    }
    return record;
  }
  if (reply instanceof Map) {
    const record: Record<string, V> = Object.create(null);
    for (const [key, value] of reply) record[String(key)] = value as V;
    return record;
  }
  return reply as Record<string, V>;
}

/** `1`/`0` (or a RESP3 boolean) as a boolean. */
export function toBoolean(reply: unknown): boolean {
  return reply === 1 || reply === true;
}

/** A RESP2 double (bulk string, `inf`/`-inf`/`nan`) or a RESP3 double as a number; nil stays null. */
export function toDouble(reply: unknown): number | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'number') return reply;
  const text = String(reply);
  if (text === 'inf' || text === '+inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** A sorted-set member with its score (`ZRANGE … WITHSCORES`, `ZPOPMIN`, `ZRANDMEMBER … WITHSCORES`). */
export interface ScoredMember {
  /** The member (a Buffer in buffer mode). */
  readonly value: string;
  /** Its score; `Infinity`/`-Infinity` for `+inf`/`-inf`. */
  readonly score: number;
}

/**
 * Member/score pairs as `{ value, score }` objects. RESP2 sends them flat (`[m1, s1, m2, s2]`, scores
 * as strings); RESP3 nests them (`[[m1, s1], …]`, scores as doubles), except where one pair comes
 * flat (`ZPOPMIN key` without a count). Both shapes arrive here; nil or an empty array gives `[]`.
 */
export function toScoredMembers(reply: unknown): ScoredMember[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  if (Array.isArray(reply[0])) {
    const out = new Array<ScoredMember>(reply.length);
    for (let i = 0; i < reply.length; i++) {
      const pair = reply[i] as unknown[];
      out[i] = { value: pair[0] as string, score: toDouble(pair[1]) as number };
    }
    return out;
  }
  const out = new Array<ScoredMember>(reply.length >> 1);
  for (let i = 0, j = 0; i + 1 < reply.length; i += 2, j++) {
    out[j] = { value: reply[i] as string, score: toDouble(reply[i + 1]) as number };
  }
  return out;
}

/** An array of doubles (RESP2 strings or RESP3 doubles) as numbers, nil entries as null. */
export function toDoubles(reply: unknown): (number | null)[] {
  const list = reply as unknown[];
  const out = new Array<number | null>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = toDouble(list[i]);
  return out;
}

/** An array of `1`/`0` as booleans. */
export function toBooleans(reply: unknown): boolean[] {
  const list = reply as unknown[];
  const out = new Array<boolean>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = list[i] === 1 || list[i] === true;
  return out;
}

/** A hash field with its value (`HRANDFIELD … WITHVALUES`, `HSCAN`). */
export interface FieldValue {
  /** The field (a Buffer in buffer mode). */
  readonly field: string;
  /** Its value (a Buffer in buffer mode). */
  readonly value: string;
}

/** Field/value pairs, flat (RESP2, `HSCAN`) or nested (RESP3 `HRANDFIELD`), as `{ field, value }`. */
export function toFieldValues(reply: unknown): FieldValue[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  if (Array.isArray(reply[0])) {
    const out = new Array<FieldValue>(reply.length);
    for (let i = 0; i < reply.length; i++) {
      const pair = reply[i] as unknown[];
      out[i] = { field: pair[0] as string, value: pair[1] as string };
    }
    return out;
  }
  const out = new Array<FieldValue>(reply.length >> 1);
  for (let i = 0, j = 0; i + 1 < reply.length; i += 2, j++) {
    out[j] = { field: reply[i] as string, value: reply[i + 1] as string };
  }
  return out;
}

/**
 * A scan cursor as text, whatever the string mode: cursors run up to 2^64, past what a number holds,
 * and a Buffer cursor would be awkward to pass back. `'0'` means the iteration is over.
 */
export function toCursor(reply: unknown): string {
  return typeof reply === 'string' ? reply : String(reply);
}

/** `'OK'` and other status replies as text even in buffer mode (a status is never data). */
export function toStatus(reply: unknown): string {
  return typeof reply === 'string' ? reply : String(reply);
}
