import { createRecord, type GraphRecord } from '../values.js';

/**
 * A flat `[name, value, name, value, …]` reply (RESP2) or an object (a RESP3 map) as a record;
 * nested pair lists stay as they are. Used for the small admin replies (GRAPH.MEMORY, UDF LIST).
 */
export function pairsToRecord(reply: unknown): GraphRecord<unknown> {
  const out = createRecord<unknown>();
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1];
  } else if (typeof reply === 'object' && reply !== null && !(reply instanceof Map)) {
    for (const [k, v] of Object.entries(reply)) out[k] = v;
  } else if (reply instanceof Map) {
    for (const [k, v] of reply) out[String(k)] = v;
  }
  return out;
}
