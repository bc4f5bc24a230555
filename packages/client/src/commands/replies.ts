/**
 * Reply shapes shared by several command groups. RESP3 already sends maps, doubles and booleans;
 * RESP2 sends flat arrays and strings, so each transform accepts both and returns one shape.
 */

/** A flat `[k1, v1, k2, v2, …]` (RESP2) or a map (RESP3) as a null-prototype object: `__proto__` is data. */
export function toRecord<V>(reply: unknown): Record<string, V> {
  if (Array.isArray(reply)) {
    const record: Record<string, V> = Object.create(null);
    for (let i = 0; i + 1 < reply.length; i += 2) record[String(reply[i])] = reply[i + 1] as V;
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
