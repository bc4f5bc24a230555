import { PassThrough } from 'node:stream';
import { FusedisError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import {
  CONNECTION_OPTION_KEYS,
  Connection,
  type ConnectionOptions,
  checkOptionKeys,
  duplex,
  InvalidOptionError,
  keysOf,
  Pool,
  tcp,
  tls,
  unix,
} from '../../src/index.js';

/** What `fn` threw, asserted to be an `InvalidOptionError` (hence a `FusedisError`). */
function thrown(fn: () => unknown): InvalidOptionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err).toBeInstanceOf(FusedisError);
    return err as InvalidOptionError;
  }
  throw new Error('expected a throw');
}

const create = () => Promise.resolve({});
const destroy = () => Promise.resolve();

describe('checkOptionKeys', () => {
  const known = keysOf<{ host?: string; port?: number; commandTimeout?: number }>({
    host: true,
    port: true,
    commandTimeout: true,
  });

  it('passes known keys, and an empty object', () => {
    expect(() => checkOptionKeys({ host: 'h', port: 1 }, known, 'f()')).not.toThrow();
    expect(() => checkOptionKeys({}, known, 'f()')).not.toThrow();
  });

  it('names the unknown key and the nearest known one', () => {
    expect(thrown(() => checkOptionKeys({ prot: 1 }, known, 'f()')).message).toBe(
      'f(): unknown option prot (did you mean port?)',
    );
    expect(thrown(() => checkOptionKeys({ CommandTimeOut: 1 }, known, 'f()')).message).toContain(
      'did you mean commandTimeout?',
    );
    expect(thrown(() => checkOptionKeys({ zzz: 1 }, known, 'f()', 'pool')).message).toBe(
      'f(): unknown option pool.zzz (known: host, port, commandTimeout)',
    );
  });

  it('counts a key whose value is undefined as given', () => {
    expect(thrown(() => checkOptionKeys({ hots: undefined }, known, 'f()')).message).toContain('hots');
  });

  it('CONNECTION_OPTION_KEYS holds every ConnectionOptions key', () => {
    expect(CONNECTION_OPTION_KEYS.has('commandTimeout')).toBe(true);
    expect(CONNECTION_OPTION_KEYS.has('transport')).toBe(true);
    expect(CONNECTION_OPTION_KEYS.has('onUnsettled')).toBe(true);
    expect(CONNECTION_OPTION_KEYS.size).toBe(18);
  });
});

describe('unknown keys are refused', () => {
  it('by Connection.open(), before connecting', async () => {
    let connects = 0;
    const transport = duplex(() => {
      connects++;
      return new PassThrough();
    });
    const options = { transport, comandTimeout: 100 } as unknown as ConnectionOptions;
    const err = await Connection.open(options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err).toBeInstanceOf(FusedisError);
    expect((err as Error).message).toBe(
      'Connection.open(): unknown option comandTimeout (did you mean commandTimeout?)',
    );
    expect(connects).toBe(0);
  });

  it('by tcp(), unix() and new Pool()', () => {
    expect(thrown(() => tcp({ host: 'h', prot: 7000 } as never)).message).toBe(
      'tcp(): unknown option prot (did you mean port?)',
    );
    expect(thrown(() => unix({ path: '/tmp/s', pth: 'x' } as never)).message).toContain('unknown option pth');
    expect(thrown(() => new Pool({ create, destroy, mx: 2 } as never)).message).toBe(
      'new Pool(): unknown option mx (did you mean max?)',
    );
  });

  it('not by tls(), which passes node’s tls.connect options through', () => {
    expect(() => tls({ host: 'h', minVersion: 'TLSv1.3', ALPNProtocols: ['x'] })).not.toThrow();
  });
});

describe('valid options still work', () => {
  it('tcp(), unix() and new Pool() with every option', async () => {
    expect(tcp({ host: 'h', port: 7000, noDelay: false, keepAlive: false }).label).toBe('tcp://h:7000');
    expect(unix({ path: '/tmp/s' }).label).toBe('unix:/tmp/s');
    const pool = new Pool({
      create,
      destroy,
      max: 2,
      min: 1,
      idleTimeout: 0,
      acquireTimeout: 0,
      isUsable: () => true,
    });
    expect(pool.stats().max).toBe(2);
    await pool.drain();
  });

  it('new Pool() takes create and destroy as methods of a class', async () => {
    class Factory {
      readonly max = 3;
      create(): Promise<object> {
        return Promise.resolve({});
      }
      destroy(): Promise<void> {
        return Promise.resolve();
      }
    }
    const pool = new Pool(new Factory());
    expect(pool.stats().max).toBe(3);
    await pool.drain();
  });

  it('Connection.open() with every key known gets past the checks', async () => {
    // A transport that fails at once: the options were accepted if connect() was reached.
    const reached = new Error('connect reached');
    const transport = duplex(() => {
      throw reached;
    });
    const options: Required<ConnectionOptions> = {
      transport,
      decoder: undefined as never,
      decodeOptions: {},
      pushStringMode: 'utf8',
      protocol: 3,
      username: 'u',
      password: 'p',
      db: 0,
      clientName: 'n',
      libName: 'l',
      libVersion: '1',
      connectTimeout: 100,
      readyCheck: true,
      commandTimeout: 100,
      autoPipeline: true,
      maxInFlight: 0,
      onPush: () => {},
      onUnsettled: () => undefined,
    };
    const err = await Connection.open(options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).not.toBeInstanceOf(InvalidOptionError);
  });

  it('a bad value keeps its own message', () => {
    expect(thrown(() => tcp({ noDelay: 'yes' as never })).message).toBe('tcp(): noDelay must be a boolean');
    expect(thrown(() => new Pool({ create, destroy, isUsable: true as never })).message).toBe(
      'new Pool(): isUsable must be a function',
    );
  });
});
