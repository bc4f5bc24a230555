import { ConnectionClosedError } from '@fusedis/pool';
import type { Command } from '@fusedis/resp';
import { type RedisServer, serverCommand, startRedis } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandaloneRouter } from '../../src/index.js';
import { unblockOnceBlocked } from '../support/unblock-once-blocked.js';

let server: RedisServer;
let router: StandaloneRouter;
beforeAll(async () => {
  server = await startRedis();
  router = new StandaloneRouter({ address: { host: server.host, port: server.port } });
});
afterAll(async () => {
  await router?.close();
  await server?.stop();
});

function blpop(key: string, seconds: number): Command {
  return { args: ['BLPOP', key, seconds], keyIndexes: [1], blocking: true };
}

describe('blocking commands through a router', () => {
  it('an aborted one is unblocked on its node: a push right after its rejection stays in the list', async () => {
    const controller = new AbortController();
    const popped = router.dispatch(blpop('rb:abort', 0), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(popped).rejects.toBe(reason);
    await router.dispatch({ args: ['RPUSH', 'rb:abort', 'kept'], keyIndexes: [1] });
    expect(await serverCommand(server.port, 'LPOP', 'rb:abort')).toBe('kept');
  });

  it('hands withDedicated the CLIENT UNBLOCK of its server, to cancel a blocking command on the lease', async () => {
    const [unblocked, popped] = await router.withDedicated([], async (connection, unblock) => {
      if (unblock === undefined || connection.clientId === undefined) throw new Error('no unblock offered');
      const blocked = connection.send({ ...blpop('rb:lease', 0), timeout: 0 });
      return [await unblockOnceBlocked(unblock, connection.clientId), await blocked];
    });
    expect(unblocked).toBe(1);
    expect(popped).toBeNull();
  });

  it('lends an unblocked connection again: the next blocking command waits on the same one', async () => {
    const blockedIds = async (): Promise<string[]> =>
      (await serverCommand(server.port, 'CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => /flags=\S*b/.test(line))
        .map((line) => line.match(/^id=(\d+)/)?.[1] ?? '?');
    const controller = new AbortController();
    const first = router.dispatch(blpop('rb:reuse', 0), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ids = await blockedIds();
    expect(ids).toHaveLength(1);
    controller.abort(new Error('stop'));
    await expect(first).rejects.toThrow('stop');
    const second = router.dispatch(blpop('rb:reuse', 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await blockedIds()).toEqual(ids); // before, the pool destroyed it and opened another
    await router.dispatch({ args: ['RPUSH', 'rb:reuse', 'x'], keyIndexes: [1] });
    expect(await second).toEqual(['rb:reuse', 'x']);
  });

  it('a batch holding one runs on a dedicated connection: the shared one keeps serving', async () => {
    await router.dispatch({ args: ['SET', 'rb:k', 'v'], keyIndexes: [1] });
    const started = performance.now();
    const batch = router.dispatchMany([{ args: ['SET', 'rb:a', '1'], keyIndexes: [1] }, blpop('rb:none', 1)]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the batch is written and blocking
    expect(await router.dispatch({ args: ['GET', 'rb:k'], keyIndexes: [1] })).toBe('v');
    expect(performance.now() - started).toBeLessThan(500); // before, it waited out the BLPOP's second
    expect(await batch).toEqual(['OK', null]);
  });

  it('an aborted batch holding one is unblocked too: a push right after its rejection stays', async () => {
    const controller = new AbortController();
    const batch = router.dispatchMany(
      [{ args: ['SET', 'rb:b', '1'], keyIndexes: [1] }, blpop('rb:batch', 0)],
      {
        signal: controller.signal,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(batch).rejects.toBe(reason);
    await router.dispatch({ args: ['RPUSH', 'rb:batch', 'kept'], keyIndexes: [1] });
    expect(await serverCommand(server.port, 'LPOP', 'rb:batch')).toBe('kept');
  });

  it('destroy() rejects a BLPOP 0 and a call waiting for the pool at once; close() serves what waits', async () => {
    const own = new StandaloneRouter({
      address: { host: server.host, port: server.port },
      pool: { max: 1 },
    });
    const blocked = own.dispatch(blpop('rb:destroy', 0)).catch((err: unknown) => err);
    const waiting = own.dispatch(blpop('rb:destroy:2', 0)).catch((err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reason = new ConnectionClosedError('going away', false);
    const started = performance.now();
    await own.destroy(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await blocked).toBeInstanceOf(ConnectionClosedError);
    expect(await waiting).toBe(reason); // never lent a connection: the reason itself
    await expect(own.dispatch({ args: ['PING'] })).rejects.toBeInstanceOf(ConnectionClosedError);

    // close(), graceful: a call queued for the only pooled connection still runs.
    const polite = new StandaloneRouter({
      address: { host: server.host, port: server.port },
      pool: { max: 1 },
    });
    const first = polite.dispatch(blpop('rb:close', 0.05));
    const second = polite.dispatch(blpop('rb:close', 0.05));
    await polite.close();
    expect(await Promise.all([first, second])).toEqual([null, null]);
  });
});
