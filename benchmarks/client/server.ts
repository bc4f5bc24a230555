/**
 * The throwaway redis-server of one run (from @fusedis/test-harness), pinned to CPU 0, and its
 * seed data, written once per run before any timing through the raw connection.
 */
import { type RedisServer, startRedis } from '@fusedis/test-harness';
import { pinProcess } from '../lib/child-launcher.js';
import { seedCommands } from './cases.js';
import { RawConnection } from './raw-connection.js';
import { encodeCommands } from './resp-wire.js';

/** Starts the server; with `pin`, moves all its threads to CPU 0. */
export async function startServer(pin: boolean): Promise<{ server: RedisServer; pinned: boolean }> {
  const server = await startRedis();
  const pinned = pin && pinProcess(server.pid, 0);
  return { server, pinned };
}

/** FLUSHALL, then the read-only data of b3–b7; resolves once every reply is in, rejects on an error reply. */
export async function seed(server: RedisServer): Promise<void> {
  const raw = await RawConnection.open(server.host, server.port);
  try {
    const commands = seedCommands();
    await raw.send(encodeCommands(commands), commands.length);
    if (raw.errors > 0) throw new Error(`seeding got ${raw.errors} error replies`);
  } finally {
    await raw.close();
  }
}
