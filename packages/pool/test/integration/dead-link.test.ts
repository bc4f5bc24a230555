import { describe, expect, it } from 'vitest';
import { type Connection, ConnectionClosedError, TimeoutError } from '../../src/index.js';
import { key, proxiedStandalone, sleep } from './helpers.js';

const link = proxiedStandalone();
const { opened } = link;
const throughProxy = link.open;

/** Resolves with the error the connection closed with (or undefined). */
function closedWith(connection: Connection): Promise<Error | undefined> {
  return new Promise((resolve) => connection.on('close', (err) => resolve(err)));
}

describe('dead link detection', () => {
  it('destroys itself when no byte arrives for commandTimeout while a reply is due', async () => {
    const connection = await throughProxy({ commandTimeout: 300 });
    const closed = closedWith(connection);
    link.proxy.setMode('blackhole');
    const started = performance.now();
    const first = connection.send({ args: ['GET', key('dead')] }).catch((e: unknown) => e);
    await sleep(50);
    // Written later: its own deadline has not passed when the link is declared dead.
    const second = connection.send({ args: ['GET', key('dead')] }).catch((e: unknown) => e);
    const err = await closed;
    const elapsed = performance.now() - started;
    // Not early; late only by event-loop lag (many suites share 2 cores in CI), well short of
    // a second window.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 250);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toMatch(/no byte from .* for 300 ms/);
    expect(connection.closed).toBe(true);
    expect(connection.inFlight).toBe(0);
    // The head waited its whole timeout: TimeoutError. The other: closed, and it was written.
    expect(await first).toBeInstanceOf(TimeoutError);
    expect(await first).toMatchObject({ phase: 'command', written: true });
    expect(await second).toBeInstanceOf(ConnectionClosedError);
    expect(await second).toMatchObject({ written: true });
  });

  it('keeps a link whose reply trickles in slower than the timeout (any byte resets the clock)', async () => {
    const big = key('trickle');
    const setup = await opened.open();
    // Large enough that one byte per turn surely spans several windows, however fast the machine.
    await setup.send({ args: ['SET', big, 'x'.repeat(100_000)] });
    const connection = await throughProxy({ commandTimeout: 150 });
    link.proxy.setMode('split'); // one byte per event-loop turn
    const started = performance.now();
    const slow = connection.send({ args: ['GET', big] }).catch((e: unknown) => e);
    const next = connection.send({ args: ['PING'], timeout: 30_000 });
    // The GET itself times out (its reply is not whole in time), but the link is alive.
    expect(await slow).toBeInstanceOf(TimeoutError);
    expect(await next).toBe('PONG');
    // The reply took several windows to arrive, and the connection survived all of them.
    expect(performance.now() - started).toBeGreaterThan(3 * 150);
    expect(connection.closed).toBe(false);
    await setup.send({ args: ['DEL', big] });
  });

  it('never declares the link dead while a command with no timeout is at the head', async () => {
    const connection = await throughProxy({ commandTimeout: 100 });
    link.proxy.setMode('blackhole');
    // Stands for a blocking command allowed to wait forever: the silence is expected.
    const blocking = connection.send({ args: ['GET', key('forever')], timeout: 0 }).catch((e: unknown) => e);
    const behind = await connection.send({ args: ['GET', key('behind')] }).catch((e: unknown) => e);
    expect(behind).toBeInstanceOf(TimeoutError);
    await sleep(300);
    expect(connection.closed).toBe(false);
    connection.destroy();
    expect(await blocking).toMatchObject({ written: true });
  });

  it('does not shorten the window for a per-command timeout below commandTimeout', async () => {
    const connection = await opened.open({ commandTimeout: 2_000 });
    const err = await connection
      .send({ args: ['DEBUG', 'SLEEP', '0.3'], timeout: 50 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ phase: 'command', timeout: 50 });
    expect(await connection.send({ args: ['ECHO', 'after'] })).toBe('after');
    expect(connection.closed).toBe(false);
  });

  it('is off with commandTimeout: 0', async () => {
    const connection = await throughProxy({ commandTimeout: 0 });
    link.proxy.setMode('blackhole');
    const waiting = connection.send({ args: ['GET', key('off')], timeout: 50 }).catch((e: unknown) => e);
    expect(await waiting).toBeInstanceOf(TimeoutError);
    await sleep(200);
    expect(connection.closed).toBe(false);
  });
});
