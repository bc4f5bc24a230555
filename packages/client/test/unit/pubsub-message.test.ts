import { QueueFullError } from '@fusedis/pool';
import { describe, expect, it } from 'vitest';
import { parseMessage, payloadAs } from '../../src/pubsub/message.js';
import { Subscription } from '../../src/pubsub/subscription.js';

describe('parseMessage', () => {
  it('reads message, pmessage and smessage frames, as strings or bytes', () => {
    expect(parseMessage(['message', 'ch', 'hi'])).toEqual({
      kind: 'channel',
      name: 'ch',
      channel: 'ch',
      payload: 'hi',
      pattern: undefined,
    });
    expect(
      parseMessage([Buffer.from('pmessage'), Buffer.from('c*'), Buffer.from('ch'), Buffer.from('x')]),
    ).toEqual({
      kind: 'pattern',
      name: 'c*',
      channel: 'ch',
      payload: Buffer.from('x'),
      pattern: 'c*',
    });
    expect(parseMessage(['smessage', 'sh', 'y'])?.kind).toBe('shard');
  });

  it('ignores confirmations, invalidations and short frames', () => {
    expect(parseMessage(['subscribe', 'ch', 1])).toBeUndefined();
    expect(parseMessage(['invalidate', ['k']])).toBeUndefined();
    expect(parseMessage(['message', 'ch'])).toBeUndefined();
    expect(parseMessage([])).toBeUndefined();
  });
});

describe('payloadAs', () => {
  it('converts between strings and Buffers as the listener asked', () => {
    expect(payloadAs('é', true)).toEqual(Buffer.from('é'));
    const bytes = Buffer.from([1, 2]);
    expect(payloadAs(bytes, true)).toBe(bytes);
    expect(payloadAs(new Uint8Array([104, 105]), true)).toEqual(Buffer.from('hi'));
    expect(payloadAs(Buffer.from('hi'), false)).toBe('hi');
    expect(payloadAs('hi', false)).toBe('hi');
  });
});

describe('Subscription', () => {
  const message = (n: number) => ({ channel: 'c', message: `m${n}` });

  it('hands out queued messages in order, then waits for the next', async () => {
    const sub = new Subscription<string>(Promise.resolve(), async () => {});
    sub.push(message(1));
    sub.push(message(2));
    expect(sub.buffered).toBe(2);
    expect(await sub.next()).toEqual({ value: message(1), done: false });
    expect(await sub.next()).toEqual({ value: message(2), done: false });
    const waiting = sub.next();
    sub.push(message(3));
    expect(await waiting).toEqual({ value: message(3), done: false });
  });

  it('keeps its order through many messages (queue compaction)', async () => {
    const sub = new Subscription<string>(Promise.resolve(), async () => {});
    for (let i = 0; i < 5000; i++) sub.push(message(i));
    for (let i = 0; i < 5000; i++) expect((await sub.next()).value).toEqual(message(i));
    expect(sub.buffered).toBe(0);
  });

  it('return() unsubscribes once, drops the queue and ends', async () => {
    let unsubscribed = 0;
    const sub = new Subscription<string>(Promise.resolve(), async () => {
      unsubscribed++;
    });
    sub.push(message(1));
    const waiting = [sub.return(), sub.return()];
    expect(await Promise.all(waiting)).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
    expect(unsubscribed).toBe(1);
    expect(await sub.next()).toEqual({ value: undefined, done: true });
    sub.push(message(2)); // late messages are dropped
    expect(sub.buffered).toBe(0);
  });

  it('throws a refused subscription from next(), once', async () => {
    const refused = new Error('NOPERM');
    const sub = new Subscription<string>(Promise.reject(refused), async () => {});
    await expect(sub.next()).rejects.toBe(refused);
    expect(await sub.next()).toEqual({ value: undefined, done: true });
    await expect(sub.ready).rejects.toBe(refused);
  });

  it('ends waiting next() calls when ended from outside', async () => {
    const sub = new Subscription<string>(Promise.resolve(), async () => {});
    const a = sub.next();
    const b = sub.next();
    sub.end();
    expect(await Promise.all([a, b])).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
  });

  it('past maxBuffered: unsubscribes, hands out what it kept, then throws QueueFullError', async () => {
    let unsubscribed = 0;
    const sub = new Subscription<string>(
      Promise.resolve(),
      async () => {
        unsubscribed++;
      },
      2,
    );
    for (let i = 1; i <= 5; i++) sub.push(message(i));
    expect(unsubscribed).toBe(1);
    expect((await sub.next()).value).toEqual(message(1));
    expect((await sub.next()).value).toEqual(message(2));
    await expect(sub.next()).rejects.toBeInstanceOf(QueueFullError);
    expect(await sub.next()).toEqual({ value: undefined, done: true });
    await sub.return();
    expect(unsubscribed).toBe(1);
  });

  it('unsubscribes on Symbol.asyncDispose', async () => {
    let unsubscribed = 0;
    const sub = new Subscription<string>(Promise.resolve(), async () => {
      unsubscribed++;
    });
    await sub[Symbol.asyncDispose]();
    expect(unsubscribed).toBe(1);
  });

  it('is its own async iterator', () => {
    const sub = new Subscription<string>(Promise.resolve(), async () => {});
    expect(sub[Symbol.asyncIterator]()).toBe(sub);
  });
});
