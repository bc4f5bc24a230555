import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, duplex, InvalidOptionError, tcp, tls, unix } from '../../src/index.js';

describe('transport factories', () => {
  it('label where they connect, with IPv6 hosts bracketed', () => {
    expect(tcp().label).toBe('tcp://127.0.0.1:6379');
    expect(tcp({ host: '::1', port: 7000 }).label).toBe('tcp://[::1]:7000');
    expect(tls({ host: 'redis.example', port: 6380 }).label).toBe('tls://redis.example:6380');
    expect(unix({ path: '/tmp/redis.sock' }).label).toBe('unix:/tmp/redis.sock');
    expect(duplex(() => new PassThrough()).label).toBe('duplex');
  });

  it('refuse bad options with InvalidOptionError before connecting', () => {
    expect(() => tcp({ port: 0 })).toThrow(InvalidOptionError);
    expect(() => tcp({ host: '' })).toThrow(InvalidOptionError);
    expect(() => tcp({ keepAlive: -5 })).toThrow(InvalidOptionError);
    expect(() => tls({ rejectUnauthorized: 'no' as unknown as boolean })).toThrow(InvalidOptionError);
    expect(() => unix({} as { path: string })).toThrow(InvalidOptionError);
    expect(() => duplex(undefined as never)).toThrow(InvalidOptionError);
  });

  it('reject with signal.reason when aborted before connecting', async () => {
    const reason = new Error('stop');
    await expect(tcp().connect(AbortSignal.abort(reason))).rejects.toBe(reason);
    await expect(duplex(() => new PassThrough()).connect(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('turn a refused TCP connection into ConnectionClosedError{written: false}', async () => {
    // Port 1 on loopback: nothing listens there.
    const err = await tcp({ port: 1 })
      .connect()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err).toMatchObject({ written: false, cause: { code: 'ECONNREFUSED' } });
  });
});
