import { type RedisServer, serverCommand, startRedis, waitFor } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src/index.js';

/**
 * WAIT counts the writes of the connection it runs on. A master with one replica whose process is
 * stopped (SIGSTOP: still connected, acknowledging nothing) tells a WAIT on the writes' connection
 * (0 replicas, at the timeout) from one on another connection (1 at once: it made no write).
 */
let master: RedisServer;
let replica: RedisServer;
let client: Client;

beforeAll(async () => {
  master = await startRedis();
  replica = await startRedis({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  await waitFor('the replica to be in sync', async () =>
    /slave0:.*state=online/.test(await serverCommand(master.port, 'INFO', 'replication')),
  );
  client = createClient({ port: master.port });
  await client.ping();
}, 60_000);

afterAll(async () => {
  if (replica !== undefined && !replica.stopped) process.kill(replica.pid, 'SIGCONT');
  await client?.quit();
  await replica?.stop();
  await master?.stop();
});

describe('WAIT and WAITAOF run on the connection that carried the writes', () => {
  it('report the stopped replica as not acknowledging, from wait(), call() and a pipeline', async () => {
    expect(await client.wait(1, 2_000)).toBe(1); // in sync before the replica stops
    process.kill(replica.pid, 'SIGSTOP');
    try {
      await client.set('wait:k', 'v');
      const started = performance.now();
      // On a pooled connection (before) this answered 1 at once: that connection had written nothing.
      expect(await client.wait(1, 300)).toBe(0);
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      expect(await client.call('WAIT', 1, 200)).toBe(0);
      expect(await client.pipeline().set('wait:k', 'w').wait(1, 200).exec()).toEqual([
        [null, 'OK'],
        [null, 0],
      ]);
      // The replica's acknowledgement never came: the local fsync count is what WAITAOF can give.
      expect(await client.waitaof(0, 1, 200)).toEqual([0, 0]);
    } finally {
      process.kill(replica.pid, 'SIGCONT');
    }
    // Running again, the replica catches up and acknowledges the same writes.
    expect(await client.wait(1, 5_000)).toBe(1);
  }, 30_000);
});
