import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createClient,
  exponentialBackoff,
  InvalidArgumentError,
  InvalidOptionError,
} from '../../src/index.js';
import { resolveOptions } from '../../src/internal/resolve-options.js';
import { resolveTopology } from '../../src/internal/resolve-topology.js';

/** The message of the InvalidOptionError `resolve` threw, or 'accepted'. */
function refusalOf(resolve: () => unknown): string {
  try {
    resolve();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOptionError);
    return (err as Error).message;
  }
  return 'accepted';
}

describe('client options', () => {
  it('applies the documented defaults', () => {
    const o = resolveOptions(undefined);
    expect(o.transport.label).toBe('tcp://127.0.0.1:6379');
    expect(o).toMatchObject({
      db: 0,
      protocol: 3,
      connectTimeout: 10_000,
      commandTimeout: 30_000,
      lazyConnect: true,
      autoPipelining: true,
      maxOfflineCommands: 100_000,
      maxOfflineBytes: 64 * 1024 * 1024,
      keyPrefix: '',
      stringMode: 'utf8',
      decoder: 'auto',
      pool: { max: 10, min: 0, idleTimeout: 30_000, acquireTimeout: 10_000 },
    });
  });

  it("refuses an option it does not know, naming another client's equivalent", () => {
    const unknown = (options: object): string => refusalOf(() => resolveOptions(options as never));
    // node-redis's shape would otherwise connect to the default 127.0.0.1:6379.
    expect(unknown({ socket: { host: 'db.internal', port: 6380 } })).toMatch(
      /unknown option socket \(node-redis's `socket`: give host, port/,
    );
    expect(unknown({ hots: 'db.internal' })).toBe('createClient: unknown option hots');
    expect(unknown({ enableAutoPipelining: true })).toMatch(/`autoPipelining`/);
    expect(unknown({ maxRetriesPerRequest: null })).toMatch(/`commandTimeout`/);
    expect(unknown({ pool: { size: 3 } })).toBe('createClient: unknown option pool.size');
    expect(unknown({ cluster: { seeds: ['h:1'], rootNodes: [] } })).toMatch(
      /cluster\.rootNodes \(cluster nodes go in/,
    );
    expect(unknown({ sentinel: { sentinels: ['h:1'], masterName: 'm', name: 'm' } })).toMatch(
      /sentinel\.name \(ioredis's sentinel `name` is/,
    );
    expect(unknown({ natMap: {} })).toBe(
      'createClient: unknown option natMap (`natMap` goes in `cluster: { natMap }` or `sentinel: { natMap }`)',
    );
    expect(unknown({ sentinelPassword: 's' })).toMatch(/`sentinel: \{ sentinelUsername, sentinelPassword/);
    expect(unknown({ role: 'slave' })).toMatch(/`sentinel: \{ readFrom: 'replica' \}`/);
    expect(unknown({ cluster: { seeds: ['h:1'], useReplicas: true } })).toMatch(
      /cluster\.useReplicas \(replica reads are `cluster: \{ readFrom: 'replica' \}`\)/,
    );
    expect(unknown({ disableOfflineQueue: true })).toMatch(/`maxOfflineCommands: 0`/);
    expect(unknown({ pingInterval: 1000 })).toMatch(/no periodic PING/);
    expect(unknown({ legacyMode: true })).toMatch(/no callback API/);
    expect(unknown({ stringNumbers: true })).toMatch(/already come as bigint/);
    // An Object.prototype name is no peer's option: no hint, not the function's source.
    expect(unknown({ toString: 1 })).toBe('createClient: unknown option toString');
    expect(unknown({ constructor: 1 })).toBe('createClient: unknown option constructor');
    expect(unknown({ host: 'h', port: 1, pool: { max: 2 }, readyCheck: false })).toBe('accepted');
    // duplicate() passes the options it resolved (URL fields included) back in.
    const client = createClient({ url: 'redis://u:p@h:1/2?protocol=2', keyPrefix: 'a:' });
    expect(() => client.duplicate({ db: 3 })).not.toThrow();
  });

  it('lets explicit options override the URL', () => {
    const o = resolveOptions({ url: 'redis://:frompass@h:1/2', db: 5, password: 'explicit' });
    expect(o.db).toBe(5);
    expect(o.password).toBe('explicit');
    expect(o.transport.label).toBe('tcp://h:1');
  });

  it('builds TLS for rediss:// and a Unix transport for unix://', () => {
    expect(resolveOptions('rediss://h:7').transport.label).toBe('tls://h:7');
    expect(resolveOptions('unix:///tmp/r.sock').transport.label).toContain('/tmp/r.sock');
  });

  it('keeps the password out of enumeration and inspect', () => {
    const o = resolveOptions('redis://u:topsecret@h');
    expect(Object.keys(o.given)).not.toContain('password');
    expect(JSON.stringify(o.given)).not.toContain('topsecret');
    expect((o.given as { password?: string }).password).toBe('topsecret');
    const client = createClient('redis://u:topsecret@h');
    expect(inspect(client, { showHidden: true, depth: 5 })).not.toContain('topsecret');
    expect(inspect(client)).toContain("status: 'wait'");
  });

  it('refuses invalid options with InvalidOptionError', () => {
    expect(() => resolveOptions({ db: -1 })).toThrow(InvalidOptionError);
    expect(() => resolveOptions({ protocol: 4 as 3 })).toThrow(InvalidOptionError);
    expect(() => resolveOptions({ pool: { max: 0 } })).toThrow(InvalidOptionError);
    expect(() => resolveOptions({ decoder: 'fast' as 'js' })).toThrow(InvalidOptionError);
    expect(() => resolveOptions({ router: {} as never })).toThrow(InvalidOptionError);
    expect(() => resolveOptions({ path: '/x', tls: true })).toThrow(InvalidOptionError);
  });
});

describe('options of client methods', () => {
  it('refuses a key it does not know, naming the one meant, before anything is sent', async () => {
    const client = createClient({ lazyConnect: true });
    try {
      expect(() => client.withOptions({ timout: 100 } as never)).toThrow(
        new InvalidArgumentError(
          'withOptions: unknown option timout (known: signal, timeout, returnBuffers)',
        ),
      );
      expect(() => client.pipeline({ ReturnBuffers: true } as never)).toThrow(
        'pipeline: unknown option ReturnBuffers (the option is returnBuffers)',
      );
      expect(() => client.pipeline([['get', 'k']], { returnBuffer: true } as never)).toThrow(
        'pipeline: unknown option returnBuffer (known: returnBuffers)',
      );
      expect(() => client.multi({ returnBufers: true } as never)).toThrow(
        'multi: unknown option returnBufers',
      );
      expect(() => client.subscribe('ch', { maxBufered: 2 } as never)).toThrow(
        'subscribe: unknown option maxBufered (known: buffers, maxBuffered)',
      );
      await expect(client.psubscribe('p*', () => {}, { Buffers: true } as never)).rejects.toThrow(
        'psubscribe: unknown option Buffers (the option is buffers)',
      );
      await expect(client.watch('k', () => 1, { retrys: 2 } as never)).rejects.toThrow(
        'watch: unknown option retrys (known: signal, retries)',
      );
      expect(() => client.withOptions(5 as never)).toThrow('withOptions: options must be an object');
      // What they take still works; nothing above connected.
      expect(client.withOptions({ timeout: 100, returnBuffers: true })).toBeDefined();
      expect(client.pipeline({ returnBuffers: true }).length).toBe(0);
      expect(client.status).toBe('wait');
    } finally {
      await client.disconnect();
    }
  });
});

describe('natMap', () => {
  const natMapOf = (natMap: unknown) => {
    const topology = resolveTopology({ cluster: { seeds: ['h:1'], natMap: natMap as never } });
    if (topology.kind !== 'cluster' || topology.natMap === undefined) throw new Error('no natMap resolved');
    return topology.natMap;
  };

  it("takes ioredis's table of 'host:port' → { host, port }, keeping addresses it does not list", () => {
    const map = natMapOf({ '10.0.0.1:7000': { host: '127.0.0.1', port: 17000 } });
    expect(map({ host: '10.0.0.1', port: 7000 })).toEqual({ host: '127.0.0.1', port: 17000 });
    expect(map({ host: '10.0.0.1', port: 7001 })).toEqual({ host: '10.0.0.1', port: 7001 });
    const sentinel = resolveTopology({
      sentinel: { sentinels: ['h:1'], masterName: 'm', natMap: { '10.0.0.9:26379': { host: 'h', port: 2 } } },
    });
    if (sentinel.kind !== 'sentinel') throw new Error('not a sentinel topology');
    expect(sentinel.natMap?.({ host: '10.0.0.9', port: 26379 })).toEqual({ host: 'h', port: 2 });
  });

  it('keeps the address when a function returns null or undefined, as ioredis does', () => {
    const map = natMapOf((a: { host: string; port: number }) =>
      a.port === 1 ? { host: 'x', port: 2 } : a.port === 3 ? null : undefined,
    );
    expect(map({ host: 'h', port: 1 })).toEqual({ host: 'x', port: 2 });
    expect(map({ host: 'h', port: 3 })).toEqual({ host: 'h', port: 3 });
    expect(map({ host: 'h', port: 4 })).toEqual({ host: 'h', port: 4 });
  });

  it('refuses a table entry it could not use', () => {
    const refusal = (natMap: unknown): string => refusalOf(() => natMapOf(natMap));
    expect(refusal({ 'a:1': { host: 'b' } })).toBe(
      "createClient: cluster.natMap['a:1'] needs a host and an integer port",
    );
    expect(refusal({ 'a:1': 'b:2' })).toBe(
      "createClient: cluster.natMap['a:1'] needs a host and an integer port",
    );
    expect(refusal({ a: { host: 'b', port: 2 } })).toBe(
      "createClient: cluster.natMap keys are 'host:port' (got 'a')",
    );
    expect(refusal('a:1')).toMatch(/cluster\.natMap is a function or an object/);
    expect(refusal([])).toMatch(/cluster\.natMap is a function or an object/);
  });
});

describe('cluster and sentinel routing options', () => {
  const refusal = (options: object): string => refusalOf(() => resolveTopology(options));
  const cluster = (extra: object): object => ({ cluster: { seeds: ['h:1'], ...extra } });
  const sentinel = (extra: object): object => ({
    sentinel: { sentinels: ['h:1'], masterName: 'm', ...extra },
  });

  it('are refused by createClient when wrong, not by the router at the first command', () => {
    expect(refusal(cluster({ readFrom: 'replicas' }))).toBe(
      "createClient: cluster.readFrom must be 'master', 'replica' or 'preferReplica'",
    );
    expect(refusal(cluster({ maxRedirections: 2.5 }))).toBe(
      'createClient: cluster.maxRedirections must be an integer ≥ 0',
    );
    expect(refusal(cluster({ maxRedirections: '3' }))).toMatch(/maxRedirections must be an integer/);
    expect(refusal(cluster({ refreshInterval: -1 }))).toBe(
      'createClient: cluster.refreshInterval must be a number of milliseconds from 0 to 2147483647',
    );
    expect(refusal(cluster({ refreshInterval: 2 ** 31 }))).toMatch(/refreshInterval must be/);
    expect(refusal(sentinel({ readFrom: 'slave' }))).toBe(
      "createClient: sentinel.readFrom must be 'master', 'replica' or 'preferReplica'",
    );
    expect(refusal(sentinel({ updateSentinels: 'no' }))).toBe(
      'createClient: sentinel.updateSentinels must be a boolean',
    );
  });

  it('are taken when right', () => {
    expect(refusal(cluster({ readFrom: 'preferReplica', maxRedirections: 0, refreshInterval: 0 }))).toBe(
      'accepted',
    );
    expect(refusal(sentinel({ readFrom: 'replica', updateSentinels: false }))).toBe('accepted');
  });
});

describe('exponentialBackoff', () => {
  it('doubles from the base, stays within [half, full] of the step, and caps', () => {
    const strategy = exponentialBackoff({ base: 100, cap: 1_000 });
    const err = new Error('x');
    for (let i = 0; i < 50; i++) {
      const d1 = strategy(1, err) as number;
      expect(d1).toBeGreaterThanOrEqual(50);
      expect(d1).toBeLessThanOrEqual(100);
      const d3 = strategy(3, err) as number;
      expect(d3).toBeGreaterThanOrEqual(200);
      expect(d3).toBeLessThanOrEqual(400);
      const d20 = strategy(20, err) as number;
      expect(d20).toBeGreaterThanOrEqual(500);
      expect(d20).toBeLessThanOrEqual(1_000);
    }
  });

  it('gives up after maxAttempts', () => {
    const strategy = exponentialBackoff({ maxAttempts: 2 });
    expect(strategy(2, new Error('x'))).not.toBeNull();
    expect(strategy(3, new Error('x'))).toBeNull();
  });
});
