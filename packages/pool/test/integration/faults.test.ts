import { RespProtocolError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, TimeoutError } from '../../src/index.js';
import { key, proxiedStandalone, sleep } from './helpers.js';

const link = proxiedStandalone();
const { opened } = link;
const throughProxy = link.open;

describe('timeouts', () => {
  it('fails the connect phase with TimeoutError when the server never answers the handshake', async () => {
    link.proxy.setMode('blackhole');
    const started = performance.now();
    const err = await throughProxy({ connectTimeout: 200 }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ phase: 'connect', timeout: 200, written: false });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1_000);
    await sleep(20);
    expect(link.proxy.connections).toBe(0); // the half-open socket was destroyed
  });

  it('times out a written command (DEBUG SLEEP) and drops its late reply', async () => {
    // A per-command timeout: it expires the command but leaves the link's window at
    // commandTimeout, so the sleeping (silent) server is not declared dead.
    const connection = await opened.open({ commandTimeout: 5_000 });
    const started = performance.now();
    const err = await connection
      .send({ args: ['DEBUG', 'SLEEP', '0.4'], timeout: 100 })
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(350);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ phase: 'command', written: true, timeout: 100 });
    // The late +OK must not reach any of these: each GET gets its own value.
    const keys = Array.from({ length: 200 }, (_, i) => key(`late-${i}`));
    await connection.sendMany(keys.map((k, i) => ({ args: ['SET', k, `v${i}`], timeout: 2_000 })));
    const values = await Promise.all(keys.map((k) => connection.send({ args: ['GET', k], timeout: 2_000 })));
    expect(values).toEqual(keys.map((_, i) => `v${i}`));
    expect(connection.closed).toBe(false);
  });

  it('settles a GET on a blackholed link at the command timeout', async () => {
    const connection = await throughProxy({ commandTimeout: 300 });
    link.proxy.setMode('blackhole');
    const started = performance.now();
    const err = await connection.send({ args: ['GET', key('bh')] }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(err).toMatchObject({ phase: 'command', written: true });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 250); // event-loop lag only, never a second window
  });

  it('honours a per-command timeout shorter than the commands before it', async () => {
    const connection = await opened.open({ commandTimeout: 5_000 });
    const slow = connection.send({ args: ['DEBUG', 'SLEEP', '0.3'] });
    const started = performance.now();
    const quick = await connection.send({ args: ['PING'], timeout: 50 }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(250);
    expect(quick).toMatchObject({ phase: 'command', timeout: 50 });
    expect(await slow).toBe('OK');
    expect(await connection.send({ args: ['ECHO', 'next'] })).toBe('next');
  });
});

describe('cancellation and failures', () => {
  it('never sends a command aborted before it was written', async () => {
    const connection = await opened.open();
    const k = key('aborted');
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const aborted = connection.send({ args: ['INCR', k] }, controller.signal);
    const kept = connection.send({ args: ['INCRBY', k, 10] });
    controller.abort(reason); // same tick: not flushed yet
    await expect(aborted).rejects.toBe(reason);
    expect(await kept).toBe(10);
    expect(await connection.send({ args: ['GET', k] })).toBe('10');
    await expect(connection.send({ args: ['PING'] }, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(connection.inFlight).toBe(0);
  });

  it('shares one abort listener among the commands that share a signal', async () => {
    const connection = await opened.open();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) => connection.send({ args: ['ECHO', i] }, controller.signal)),
      );
      expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
      const slow = [
        connection.send({ args: ['DEBUG', 'SLEEP', '0.1'] }, controller.signal),
        ...Array.from({ length: 30 }, () => connection.send({ args: ['PING'] }, controller.signal)),
      ];
      controller.abort();
      const outcomes = await Promise.allSettled(slow);
      expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
      expect(await connection.send({ args: ['ECHO', 'in step'] })).toBe('in step');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('keeps the FIFO slot of a command aborted after it was written', async () => {
    const connection = await opened.open();
    const controller = new AbortController();
    const slow = connection.send({ args: ['DEBUG', 'SLEEP', '0.2'] }, controller.signal);
    const next = connection.send({ args: ['ECHO', 'mine'] });
    await sleep(30);
    controller.abort();
    await expect(slow).rejects.toMatchObject({ name: 'AbortError' });
    expect(await next).toBe('mine');
  });

  it('rejects written and unwritten commands with the right flag on destroy()', async () => {
    const connection = await opened.open();
    const closes: (Error | undefined)[] = [];
    connection.on('close', (err) => closes.push(err));
    const written = connection.send({ args: ['DEBUG', 'SLEEP', '0.2'] }).catch((e: unknown) => e);
    await sleep(20);
    const unwritten = connection.send({ args: ['ECHO', 'never'] }).catch((e: unknown) => e);
    const cause = new Error('shutting down');
    connection.destroy(cause);
    connection.destroy(); // idempotent
    const [first, second] = await Promise.all([written, unwritten]);
    expect(first).toBeInstanceOf(ConnectionClosedError);
    expect(first).toMatchObject({ written: true, cause });
    expect(second).toMatchObject({ written: false, cause });
    expect(closes).toEqual([cause]);
  });

  it('rejects every pending command with the RespProtocolError when the stream is corrupt', async () => {
    const connection = await throughProxy();
    const closes: (Error | undefined)[] = [];
    connection.on('close', (err) => closes.push(err));
    const blocked = [
      connection.send({ args: ['BLPOP', key('p1'), 0], timeout: 0 }).catch((e: unknown) => e),
      connection.send({ args: ['BLPOP', key('p2'), 0], timeout: 0 }).catch((e: unknown) => e),
    ];
    await sleep(30);
    link.proxy.injectToClients('?not resp\r\n');
    const errors = await Promise.all(blocked);
    expect(errors[0]).toBeInstanceOf(RespProtocolError);
    expect(errors[1]).toBe(errors[0]);
    expect(connection.closed).toBe(true);
    expect(closes).toEqual([errors[0]]);
  });

  it('on a corrupt stream, rejects a command not yet written with ConnectionClosedError{written: false}', async () => {
    // A push handler sends a GET while the chunk that then breaks is being decoded: the GET is
    // still waiting for its write. Only written commands get the RespProtocolError itself.
    let unwritten: Promise<unknown> | undefined;
    const connection = await throughProxy({
      protocol: 3,
      onPush: () => {
        unwritten ??= connection.send({ args: ['GET', key('after-push')] }).catch((e: unknown) => e);
      },
    });
    const written = connection.send({ args: ['BLPOP', key('p3'), 0], timeout: 0 }).catch((e: unknown) => e);
    await sleep(30);
    link.proxy.injectToClients('>2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n?not resp\r\n');
    const protocolError = await written;
    expect(protocolError).toBeInstanceOf(RespProtocolError);
    const err = await unwritten;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err).toMatchObject({ written: false, cause: protocolError });
  });

  it('rejects written commands with ConnectionClosedError{written: true} on a reset', async () => {
    const connection = await throughProxy();
    link.proxy.setMode('swallow-replies');
    const k = key('reset');
    const pending = connection.send({ args: ['RPUSH', k, 'x'] }).catch((e: unknown) => e);
    await sleep(30);
    link.proxy.resetAll();
    const err = await pending;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err).toMatchObject({ written: true });
    // It did execute: exactly why `written` matters.
    const direct = await opened.open();
    expect(await direct.send({ args: ['LLEN', k] })).toBe(1);
  });

  it('tells written from unwritten exactly when the link is reset during 20,000 RPUSH', async () => {
    const connection = await throughProxy({ commandTimeout: 10_000 });
    const list = key('rpush');
    const outcomes: Promise<'ok' | 'written' | 'unwritten'>[] = [];
    const total = 20_000;
    const perTick = 250;
    for (let sent = 0; sent < total; ) {
      for (let i = 0; i < perTick; i++, sent++) {
        if (sent === 12_000) link.proxy.setMode('swallow-replies');
        if (sent === 16_100) link.proxy.resetAll(); // mid-tick: this tick's earlier sends are not written yet
        const outcome = connection.send({ args: ['RPUSH', list, sent] }).then(
          () => 'ok' as const,
          (err: unknown) => {
            if (!(err instanceof ConnectionClosedError)) throw err;
            return err.written ? ('written' as const) : ('unwritten' as const);
          },
        );
        outcomes.push(outcome);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await Promise.all(outcomes);
    const direct = await opened.open();
    const stored = ((await direct.send({ args: ['LRANGE', list, 0, -1] })) as string[]).map(Number);
    expect(new Set(stored).size).toBe(stored.length); // no duplicates
    const inList = new Set(stored);
    const count = { ok: 0, written: 0, unwritten: 0 };
    results.forEach((result, value) => {
      count[result]++;
      if (result === 'ok') expect(inList.has(value)).toBe(true);
      if (result === 'unwritten') expect(inList.has(value)).toBe(false);
    });
    expect(count.ok).toBeGreaterThan(0); // replies still in flight when the mode switched are swallowed too
    expect(count.unwritten).toBeGreaterThan(0);
    expect(count.ok + count.written + count.unwritten).toBe(total);
  });

  it('never hands a reply to the wrong command under random aborts and timeouts, in 1-byte chunks', async () => {
    const connection = await throughProxy();
    link.proxy.setMode('split');
    const reason = new Error('random abort');
    const checks: Promise<void>[] = [];
    let delivered = 0;
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 1_000; i++) {
      const dice = random();
      const controller = new AbortController();
      const text = `reply-${i}`;
      const timeout = dice < 0.2 ? 1 + Math.floor(random() * 20) : 10_000;
      const sent = connection.send({ args: ['ECHO', text], timeout }, controller.signal);
      if (dice > 0.9)
        controller.abort(reason); // before the write
      else if (dice > 0.8) setTimeout(() => controller.abort(reason), random() * 30); // around the write
      checks.push(
        sent.then(
          (value) => {
            expect(value).toBe(text);
            delivered++;
          },
          (err: unknown) => {
            if (err !== reason) expect(err).toMatchObject({ phase: 'command', written: true });
          },
        ),
      );
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, random() * 5));
    }
    await Promise.all(checks);
    expect(delivered).toBeGreaterThan(300);
    link.proxy.setMode('pass');
    expect(await connection.send({ args: ['ECHO', 'after the storm'] })).toBe('after the storm');
  });

  it('decodes replies that arrive one byte at a time', async () => {
    const connection = await throughProxy();
    link.proxy.setMode('split');
    const replies = await Promise.all(
      ['a', 'bb', 'ccc'].map((text) => connection.send({ args: ['ECHO', text], stringMode: 'buffer' })),
    );
    expect(replies.map(String)).toEqual(['a', 'bb', 'ccc']);
    expect(await connection.send({ args: ['HELLO', 3] })).toMatchObject({ proto: 3 });
  });
});
