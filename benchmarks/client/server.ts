/**
 * The throwaway redis-server of one run (from @fusedis/test-harness), pinned to CPU 0, and its
 * seed data, written once per run before any timing through the raw connection.
 */
import { type RedisServer, startRedis } from '@fusedis/test-harness';
import {
  HASH_FIELDS,
  HASH_KEY,
  hashField,
  LIST_ITEMS,
  LIST_KEY,
  listItem,
  STRING_KEYS,
  stringKey,
  stringValue,
} from './cases.js';
import { pinProcess } from './launcher.js';
import { RawConnection } from './raw-connection.js';
import { encodeCommands } from './resp-wire.js';

/** Starts the server; with `pin`, moves all its threads to CPU 0. */
export async function startServer(pin: boolean): Promise<{ server: RedisServer; pinned: boolean }> {
  const server = await startRedis();
  const pinned = pin && pinProcess(server.pid, 0);
  return { server, pinned };
}

/** Items per RPUSH / fields per HSET while seeding: 1,000 commands of ~12 KB each. */
const BATCH = 1000;

/** FLUSHALL, then the read-only data of b3–b7; resolves once every reply is in, rejects on an error reply. */
export async function seed(server: RedisServer): Promise<void> {
  const raw = await RawConnection.open(server.host, server.port);
  try {
    const commands: string[][] = [['flushall']];
    for (let i = 0; i < STRING_KEYS; i++) commands.push(['set', stringKey(i), stringValue(i)]);
    for (let from = 0; from < LIST_ITEMS; from += BATCH) {
      const items: string[] = [];
      for (let i = from; i < Math.min(LIST_ITEMS, from + BATCH); i++) items.push(listItem(i));
      commands.push(['rpush', LIST_KEY, ...items]);
    }
    for (let from = 0; from < HASH_FIELDS; from += BATCH) {
      const pairs: string[] = [];
      for (let i = from; i < Math.min(HASH_FIELDS, from + BATCH); i++)
        pairs.push(hashField(i), stringValue(i));
      commands.push(['hset', HASH_KEY, ...pairs]);
    }
    await raw.send(encodeCommands(commands), commands.length);
    if (raw.errors > 0) throw new Error(`seeding got ${raw.errors} error replies`);
  } finally {
    await raw.close();
  }
}
