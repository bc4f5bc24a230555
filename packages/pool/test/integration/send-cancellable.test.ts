import { afterEach, describe, expect, it } from 'vitest';
import {
  type Command,
  type Connection,
  ConnectionClosedError,
  sendCancellable,
  sendManyCancellable,
  TimeoutError,
  type Unblock,
} from '../../src/index.js';
import { key, Opened } from './helpers.js';

const opened = new Opened();
afterEach(() => opened.closeAll());

/** `CLIENT UNBLOCK` over `other`, counting the calls. */
function unblockOver(other: Connection): Unblock & { calls: number[] } {
  const calls: number[] = [];
  const unblock = (clientId: number): Promise<unknown> => {
    calls.push(clientId);
    return other.send({ args: ['CLIENT', 'UNBLOCK', clientId] });
  };
  return Object.assign(unblock, { calls });
}

/** Whether the server has the client with `id` blocked. */
async function isBlocked(admin: Connection, id: number): Promise<boolean> {
  const line = String(await admin.send({ args: ['CLIENT', 'LIST', 'ID', id] }));
  return /flags=\S*b/.test(line);
}

async function untilBlocked(admin: Connection, id: number): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!(await isBlocked(admin, id))) {
    if (performance.now() > deadline) throw new Error(`client ${id} never blocked`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('sendCancellable', () => {
  it('resolves with the reply when nothing cancels it', async () => {
    const [blocked, other] = [await opened.open(), await opened.open()];
    const list = key('sc:plain');
    const popped = sendCancellable(blocked, { args: ['BLPOP', list, 5] }, undefined, 0, unblockOver(other));
    await other.send({ args: ['RPUSH', list, 'a'] });
    expect(await popped).toEqual([list, 'a']);
  });

  it('an abort unblocks the command on the server: the connection stays usable, a later push stays', async () => {
    const [blocked, other] = [await opened.open(), await opened.open()];
    const list = key('sc:abort');
    const unblock = unblockOver(other);
    const controller = new AbortController();
    const popped = sendCancellable(blocked, { args: ['BLPOP', list, 0] }, controller.signal, 0, unblock);
    await untilBlocked(other, blocked.clientId as number);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(popped).rejects.toBe(reason);
    expect(unblock.calls).toEqual([blocked.clientId]);
    await other.send({ args: ['RPUSH', list, 'kept'] });
    expect(await other.send({ args: ['LRANGE', list, 0, -1] })).toEqual(['kept']);
    expect(blocked.closed).toBe(false);
    expect(await blocked.send({ args: ['PING'] })).toBe('PONG'); // its null reply was read, in order
  });

  it('a timeout rejects with TimeoutError (command phase) the same way', async () => {
    const [blocked, other] = [await opened.open(), await opened.open()];
    const popped = sendCancellable(
      blocked,
      { args: ['BLPOP', key('sc:t'), 0] },
      undefined,
      60,
      unblockOver(other),
    );
    const error = await popped.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe('command');
    expect((error as TimeoutError).timeout).toBe(60);
  });

  it('hands over a reply the server sent before the unblock reached it', async () => {
    const [blocked, other] = [await opened.open(), await opened.open()];
    const list = key('sc:race');
    const controller = new AbortController();
    const unblock = unblockOver(other);
    const popped = sendCancellable(blocked, { args: ['BLPOP', list, 0] }, controller.signal, 0, unblock);
    await untilBlocked(other, blocked.clientId as number);
    // Written before the unblock, on the same connection: the server serves the BLPOP first.
    const pushed = other.send({ args: ['RPUSH', list, 'served'] });
    controller.abort(new Error('too late'));
    expect(await pushed).toBe(1);
    expect(await popped).toEqual([list, 'served']);
    expect(unblock.calls).toHaveLength(1);
  });

  it('drops the connection when the unblock is refused and no reply comes', async () => {
    const blocked = await opened.open();
    const refuse: Unblock = () => Promise.reject(new Error('no permission'));
    const controller = new AbortController();
    const popped = sendCancellable(
      blocked,
      { args: ['BLPOP', key('sc:refused'), 0] },
      controller.signal,
      0,
      refuse,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(popped).rejects.toBe(reason);
    expect(blocked.closed).toBe(true);
    await expect(blocked.send({ args: ['PING'] })).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('sends nothing when the signal has already fired', async () => {
    const blocked = await opened.open();
    const controller = new AbortController();
    controller.abort(new Error('before'));
    const unblock: Unblock = () => Promise.reject(new Error('not called'));
    await expect(
      sendCancellable(blocked, { args: ['BLPOP', key('sc:early'), 0] }, controller.signal, 0, unblock),
    ).rejects.toThrow('before');
    expect(blocked.inFlight).toBe(0);
  });
});

const blpop = (list: string): Command => ({ args: ['BLPOP', list, 0], blocking: true });

describe('sendManyCancellable', () => {
  it('unblocks each blocking command of an aborted batch in turn, then rejects: nothing was taken', async () => {
    const [blocked, other] = [await opened.open(), await opened.open()];
    const [first, second] = [key('smc:first'), key('smc:second')];
    const controller = new AbortController();
    const unblock = unblockOver(other);
    const batch = [{ args: ['SET', key('smc:set'), '1'] }, blpop(first), blpop(second)];
    const sent = sendManyCancellable(blocked, batch, controller.signal, unblock);
    await untilBlocked(other, blocked.clientId as number);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sent).rejects.toBe(reason);
    // The second BLPOP blocked once the first was unblocked, and was unblocked too.
    expect(unblock.calls.length).toBeGreaterThanOrEqual(2);
    expect(blocked.inFlight).toBe(0);
    expect(await isBlocked(other, blocked.clientId as number)).toBe(false);
    expect(await blocked.send({ args: ['PING'] })).toBe('PONG');
  });

  it('resolves with the replies when a blocking command had already popped something', async () => {
    const [blocked, other] = [await opened.open(), await opened.open()];
    const [full, empty] = [key('smc:full'), key('smc:empty')];
    await other.send({ args: ['RPUSH', full, 'taken'] });
    const controller = new AbortController();
    const sent = sendManyCancellable(
      blocked,
      [blpop(full), blpop(empty)],
      controller.signal,
      unblockOver(other),
    );
    await untilBlocked(other, blocked.clientId as number);
    controller.abort(new Error('stop'));
    // Rejecting would drop the element the first BLPOP took.
    expect(await sent).toEqual([[full, 'taken'], null]);
  });

  it("times out by the batch's longest deadline; a blocking command without one has none", async () => {
    const [blocked, other] = [await opened.open({ commandTimeout: 50 }), await opened.open()];
    const list = key('smc:deadline');
    const started = performance.now();
    const timed = sendManyCancellable(
      blocked,
      [{ args: ['PING'] }, { ...blpop(list), timeout: 150 }],
      undefined,
      unblockOver(other),
    );
    await expect(timed).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    // No timeout of its own: the connection's 50 ms does not apply to it.
    const waiting = sendManyCancellable(
      blocked,
      [{ args: ['PING'] }, blpop(list)],
      undefined,
      unblockOver(other),
    );
    await new Promise((resolve) => setTimeout(resolve, 120));
    await other.send({ args: ['RPUSH', list, 'late'] });
    expect(await waiting).toEqual(['PONG', [list, 'late']]);
  });
});
