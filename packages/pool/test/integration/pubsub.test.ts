import { afterEach, describe, expect, it } from 'vitest';
import { key, Opened } from './helpers.js';

const opened = new Opened();
afterEach(() => opened.closeAll());

/** Resolves once `predicate` holds for the pushes seen so far. */
function until(pushes: unknown[][], predicate: (pushes: unknown[][]) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      if (predicate(pushes)) resolve();
      else if (Date.now() - started > 5_000) reject(new Error(`pushes so far: ${JSON.stringify(pushes)}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe('pushes on RESP3', () => {
  it('resolves SUBSCRIBE with its confirmation, routes messages apart, and keeps serving commands', async () => {
    const pushes: unknown[][] = [];
    const subscriber = await opened.open({ onPush: (push) => pushes.push(push) });
    const publisher = await opened.open();
    const channel = key('ch');
    const [confirmed, echoed, confirmedPattern] = await Promise.all([
      subscriber.send({ args: ['SUBSCRIBE', channel, `${channel}:b`] }),
      subscriber.send({ args: ['ECHO', 'still here'] }),
      subscriber.send({ args: ['PSUBSCRIBE', `${channel}:*`] }),
    ]);
    expect(confirmed).toEqual(['subscribe', channel, 1]);
    expect(echoed).toBe('still here');
    expect(confirmedPattern).toEqual(['psubscribe', `${channel}:*`, 3]);
    expect(await publisher.send({ args: ['PUBLISH', channel, 'hello'] })).toBe(1);
    await until(pushes, (seen) => seen.some((push) => push[0] === 'message'));
    expect(pushes).toContainEqual(['message', channel, 'hello']);
    expect(pushes.filter((push) => push[0] === 'subscribe')).toHaveLength(2);
    expect(await subscriber.send({ args: ['GET', key('nothing')] })).toBeNull();
    const unsubscribed = (await subscriber.send({ args: ['UNSUBSCRIBE'] })) as unknown[];
    expect(unsubscribed[0]).toBe('unsubscribe');
    expect(unsubscribed[2]).toBe(2); // one channel and the pattern left
    expect(await subscriber.send({ args: ['PUNSUBSCRIBE', `${channel}:*`] })).toEqual([
      'punsubscribe',
      `${channel}:*`,
      0,
    ]);
    expect(await subscriber.send({ args: ['PING'] })).toBe('PONG');
    expect(subscriber.inFlight).toBe(0);
  });

  it('rejects a subscribe the server refuses (NOPERM) and keeps replies in step', async () => {
    const admin = await opened.open();
    const user = `pool-pubsub-${process.pid}`;
    await admin.send({
      args: ['ACL', 'SETUSER', user, 'on', '>pw', '~*', 'resetchannels', '&allowed:*', '+@all'],
    });
    try {
      for (const protocol of [2, 3] as const) {
        const connection = await opened.open({ protocol, username: user, password: 'pw' });
        const [refused, echoed] = await Promise.all([
          connection.send({ args: ['SUBSCRIBE', 'forbidden'] }).catch((e: unknown) => e),
          connection.send({ args: ['ECHO', 'in step'] }),
        ]);
        expect(refused).toMatchObject({ code: 'NOPERM' });
        expect(echoed).toBe('in step');
        expect(await connection.send({ args: ['SUBSCRIBE', 'allowed:1'] })).toEqual([
          'subscribe',
          'allowed:1',
          1,
        ]);
        expect(await connection.send({ args: ['PING'] })).toEqual(protocol === 2 ? ['pong', ''] : 'PONG');
      }
    } finally {
      await admin.send({ args: ['ACL', 'DELUSER', user] });
    }
  });

  it('routes client-side caching invalidations to onPush, not to a command', async () => {
    const pushes: unknown[][] = [];
    const tracked = await opened.open({ onPush: (push) => pushes.push(push) });
    const writer = await opened.open();
    const k = key('tracked');
    expect(await tracked.send({ args: ['CLIENT', 'TRACKING', 'ON'] })).toBe('OK');
    expect(await tracked.send({ args: ['GET', k] })).toBeNull();
    await writer.send({ args: ['SET', k, '1'] });
    await until(pushes, (seen) => seen.some((push) => push[0] === 'invalidate'));
    expect(pushes).toContainEqual(['invalidate', [k]]);
    expect(await tracked.send({ args: ['ECHO', 'after'] })).toBe('after');
  });

  it('delivers pushes as Buffers with pushStringMode: buffer', async () => {
    const pushes: unknown[][] = [];
    const subscriber = await opened.open({ onPush: (push) => pushes.push(push), pushStringMode: 'buffer' });
    const publisher = await opened.open();
    const channel = key('bin');
    await subscriber.send({ args: ['SUBSCRIBE', channel] });
    await publisher.send({ args: ['PUBLISH', channel, Buffer.from([0xff, 0x01])] });
    await until(pushes, (seen) => seen.length >= 2);
    const message = pushes[1] as unknown[];
    expect(Buffer.isBuffer(message[2]) && (message[2] as Buffer).equals(Buffer.from([0xff, 0x01]))).toBe(
      true,
    );
    expect(await subscriber.send({ args: ['ECHO', 'text'] })).toBe('text');
  });
});

describe('subscriber mode on RESP2', () => {
  it('routes messages to onPush, answers PING with [pong, ""], and leaves the mode after the last unsubscribe', async () => {
    const pushes: unknown[][] = [];
    const subscriber = await opened.open({ protocol: 2, onPush: (push) => pushes.push(push) });
    const publisher = await opened.open();
    const channel = key('r2');
    expect(await subscriber.send({ args: ['SUBSCRIBE', channel] })).toEqual(['subscribe', channel, 1]);
    expect(await subscriber.send({ args: ['SSUBSCRIBE', `${channel}:s`] })).toEqual([
      'ssubscribe',
      `${channel}:s`,
      1,
    ]);
    expect(await subscriber.send({ args: ['PING'] })).toEqual(['pong', '']);
    await publisher.send({ args: ['PUBLISH', channel, 'one'] });
    await publisher.send({ args: ['SPUBLISH', `${channel}:s`, 'two'] });
    await until(pushes, (seen) => seen.length >= 4);
    expect(pushes.slice(2)).toEqual([
      ['message', channel, 'one'],
      ['smessage', `${channel}:s`, 'two'],
    ]);
    await expect(subscriber.send({ args: ['GET', 'x'] })).rejects.toThrow(/only .*allowed|Can't execute/i);
    expect(await subscriber.send({ args: ['UNSUBSCRIBE', channel] })).toEqual(['unsubscribe', channel, 0]);
    // Still subscribed to a shard channel: still in subscriber mode.
    expect(await subscriber.send({ args: ['PING'] })).toEqual(['pong', '']);
    expect(await subscriber.send({ args: ['SUNSUBSCRIBE', `${channel}:s`] })).toEqual([
      'sunsubscribe',
      `${channel}:s`,
      0,
    ]);
    // Back to normal replies: an array that starts with "message" is a reply again.
    const list = key('list');
    await subscriber.send({ args: ['RPUSH', list, 'message', 'a', 'b'] });
    expect(await subscriber.send({ args: ['LRANGE', list, 0, -1] })).toEqual(['message', 'a', 'b']);
    expect(await subscriber.send({ args: ['PING'] })).toBe('PONG');
  });
});
