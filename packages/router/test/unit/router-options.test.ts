import { PassThrough } from 'node:stream';
import { duplex, InvalidOptionError, type Transport, tcp } from '@fusedis/pool';
import { FusedisError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import {
  type ClusterNodeInfo,
  ClusterRouter,
  type ClusterRouterOptions,
  type NodeAddress,
  NodeLink,
  type Router,
  SentinelRouter,
  type SentinelRouterOptions,
  StandaloneRouter,
  type StandaloneRouterOptions,
} from '../../src/index.js';

// Nothing listens on port 1: a router that tried to connect at construction would fail there.
const seeds = [{ host: '127.0.0.1', port: 1 }];
const sentinels = seeds;

/** The InvalidOptionError (a FusedisError) that building a router threw, by its message. */
function refused(build: () => Router): string {
  let router: Router | undefined;
  try {
    router = build();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err).toBeInstanceOf(FusedisError);
    return (err as Error).message;
  }
  void router.close();
  throw new Error('expected InvalidOptionError, the router was built');
}

const cluster = (extra: object) => () => new ClusterRouter({ seeds, ...extra } as ClusterRouterOptions);
const sentinel = (extra: object) => () =>
  new SentinelRouter({ sentinels, masterName: 'mymaster', ...extra } as SentinelRouterOptions);
const nodeLink = () => new NodeLink(seeds[0] as NodeAddress, { transport: tcp(seeds[0]) });
const standalone = (extra: object) => () => new StandaloneRouter({ ...extra } as StandaloneRouterOptions);

describe('ClusterRouter refuses bad options at construction', () => {
  it.each([
    ['options not an object', () => new ClusterRouter(undefined as never), /ClusterRouter: options must be/],
    [
      'an unknown key',
      cluster({ maxRedirection: 3 }),
      /ClusterRouter: unknown option maxRedirection .*maxRedirections/,
    ],
    [
      'an unknown key set to undefined',
      cluster({ refreshIntervall: undefined }),
      /unknown option refreshIntervall/,
    ],
    ['empty seeds', cluster({ seeds: [] }), /ClusterRouter: seeds must be a non-empty array/],
    [
      'seeds as a URL',
      cluster({ seeds: 'redis://127.0.0.1:7000' }),
      /seeds must be a non-empty array.*'redis:/,
    ],
    ['a seed without a port', cluster({ seeds: [{ host: 'h' }] }), /seeds\[0\]\.port must be an integer/],
    ['a seed port as text', cluster({ seeds: [{ host: 'h', port: '7000' }] }), /seeds\[0\]\.port/],
    [
      'a seed port out of range',
      cluster({ seeds: [...seeds, { host: 'h', port: 70000 }] }),
      /seeds\[1\]\.port/,
    ],
    ['a seed with an empty host', cluster({ seeds: [{ host: '', port: 7000 }] }), /seeds\[0\]\.host/],
    ['a seed that is a string', cluster({ seeds: ['h:7000'] }), /seeds\[0\] must be \{ host, port \}/],
    [
      'readFrom: replicas',
      cluster({ readFrom: 'replicas' }),
      /readFrom must be 'master', 'replica' or 'preferReplica'/,
    ],
    ['refreshInterval as text', cluster({ refreshInterval: '5000' }), /refreshInterval must be a number/],
    ['refreshInterval < 0', cluster({ refreshInterval: -1 }), /refreshInterval/],
    ['refreshInterval past setInterval’s limit', cluster({ refreshInterval: 2 ** 31 }), /refreshInterval/],
    [
      'natMap as an object',
      cluster({ natMap: { 'a:1': { host: 'b', port: 2 } } }),
      /natMap must be a function/,
    ],
    ['transport as a Transport', cluster({ transport: tcp() }), /transport must be a function/],
    ['retryDelay as a number', cluster({ retryDelay: 100 }), /retryDelay must be a function/],
    ['maxRedirections negative', cluster({ maxRedirections: -1 }), /maxRedirections must be an integer ≥ 0/],
    ['maxRedirections fractional', cluster({ maxRedirections: 1.5 }), /maxRedirections/],
    ['an unknown pool key', cluster({ pool: { mx: 2 } }), /unknown option pool\.mx \(did you mean max\?\)/],
    ['a bad pool value', cluster({ pool: { max: 0 } }), /ClusterRouter: invalid pool .*max/],
    ['pool.min above the default max', cluster({ pool: { min: 20 } }), /invalid pool .*min/],
    ['pool not an object', cluster({ pool: 5 }), /pool must be an object/],
    [
      'an unknown connection key',
      cluster({ connection: { pasword: 'x' } }),
      /unknown option connection\.pasword \(did you mean password\?\)/,
    ],
    [
      'a transport in connection',
      cluster({ connection: { transport: tcp() } }),
      /unknown option connection\.transport/,
    ],
    ['connection not an object', cluster({ connection: 'redis://h' }), /connection must be an object/],
  ])('%s', (_name, build, message) => {
    expect(refused(build as () => Router)).toMatch(message);
  });
});

describe('SentinelRouter refuses bad options at construction', () => {
  it.each([
    ['options not an object', () => new SentinelRouter(null as never), /SentinelRouter: options must be/],
    ['an unknown key', sentinel({ master: 'x' }), /SentinelRouter: unknown option master /],
    ['empty sentinels', sentinel({ sentinels: [] }), /SentinelRouter: sentinels must be a non-empty array/],
    [
      'a sentinel without a numeric port',
      sentinel({ sentinels: [{ host: 'h', port: '26379' }] }),
      /sentinels\[0\]\.port/,
    ],
    ['masterName empty', sentinel({ masterName: '' }), /masterName must be a non-empty string/],
    ['masterName missing', sentinel({ masterName: undefined }), /masterName must be a non-empty string/],
    ['updateSentinels as text', sentinel({ updateSentinels: 'false' }), /updateSentinels must be a boolean/],
    ['readFrom: slave', sentinel({ readFrom: 'slave' }), /readFrom must be/],
    ['maxRetries negative', sentinel({ maxRetries: -1 }), /maxRetries must be an integer ≥ 0/],
    ['natMap as an object', sentinel({ natMap: {} }), /natMap must be a function/],
    [
      'transport as a Transport',
      sentinel({ transport: tcp() }),
      /SentinelRouter: transport must be a function/,
    ],
    [
      'sentinelTransport as a Transport',
      sentinel({ sentinelTransport: tcp() }),
      /sentinelTransport must be a function/,
    ],
    ['retryDelay as a number', sentinel({ retryDelay: 5 }), /retryDelay must be a function/],
    [
      'an unknown connection key',
      sentinel({ connection: { pasword: 'x' } }),
      /unknown option connection\.pasword/,
    ],
    [
      'an unknown sentinelConnection key',
      sentinel({ sentinelConnection: { usr: 'x' } }),
      /unknown option sentinelConnection\.usr/,
    ],
    ['an unknown pool key', sentinel({ pool: { mx: 2 } }), /unknown option pool\.mx/],
  ])('%s', (_name, build, message) => {
    expect(refused(build as () => Router)).toMatch(message);
  });
});

describe('StandaloneRouter refuses bad options at construction', () => {
  it.each([
    [
      'options not an object',
      () => new StandaloneRouter('redis://h' as never),
      /StandaloneRouter: options must be/,
    ],
    [
      'an unknown key',
      standalone({ adress: seeds[0] }),
      /StandaloneRouter: unknown option adress \(did you mean address\?\)/,
    ],
    ['an address without a port', standalone({ address: { host: 'h' } }), /address\.port must be an integer/],
    ['an address as text', standalone({ address: 'h:6379' }), /address must be \{ host, port \}/],
    ['a transport function', standalone({ transport: () => tcp() }), /transport must be a Transport/],
    [
      'a transport without connect',
      standalone({ transport: { label: 'x' } }),
      /transport must be a Transport/,
    ],
    ['maxRetries as text', standalone({ maxRetries: '3' }), /maxRetries must be an integer ≥ 0/],
    ['retryDelay as a number', standalone({ retryDelay: 5 }), /retryDelay must be a function/],
    [
      'an unknown connection key',
      standalone({ connection: { comandTimeout: 5 } }),
      /unknown option connection\.comandTimeout/,
    ],
    ['an unknown pool key', standalone({ pool: { idle: 5 } }), /unknown option pool\.idle/],
    ['a link that is not a NodeLink', standalone({ link: {} }), /link must be a NodeLink/],
    [
      'a link with options it would ignore',
      standalone({ link: nodeLink(), address: seeds[0], pool: {} }),
      /link excludes address and pool/,
    ],
  ])('%s', (_name, build, message) => {
    expect(refused(build as () => Router)).toMatch(message);
  });
});

describe('valid options still construct, without connecting', () => {
  /** A transport factory that counts how often it was asked for a transport. */
  function counting(): { made: () => number; transport: (address: NodeAddress) => Transport } {
    let made = 0;
    return {
      made: () => made,
      transport: (address) => {
        made++;
        return tcp(address);
      },
    };
  }

  it('ClusterRouter with every option', async () => {
    const data = counting();
    const router = new ClusterRouter({
      seeds: [...seeds, { host: '::1', port: 65_535 }],
      connection: { password: 'p', commandTimeout: 100, protocol: 2 },
      transport: data.transport,
      natMap: (a) => a,
      readFrom: 'preferReplica',
      maxRedirections: 0, // 0 and 1 alike: a command gets one try
      retryDelay: () => 10,
      refreshInterval: 0,
      pool: { max: 2, min: 0, idleTimeout: 0, acquireTimeout: 0, isUsable: () => true },
    });
    expect(data.made()).toBe(0);
    expect(router.shards).toEqual([]);
    await router.close();
  });

  it('SentinelRouter with every option', async () => {
    const data = counting();
    const own = counting();
    const router = new SentinelRouter({
      sentinels,
      masterName: 'mymaster',
      updateSentinels: false,
      connection: { password: 'p' },
      sentinelConnection: { password: 's' },
      natMap: (a) => a,
      transport: data.transport,
      sentinelTransport: own.transport,
      readFrom: 'replica',
      maxRetries: 0,
      retryDelay: () => 10,
      pool: { max: 1 },
    });
    expect(data.made() + own.made()).toBe(0);
    expect(router.master).toBeUndefined();
    await router.close();
  });

  it('StandaloneRouter with every option, and with none', async () => {
    let connects = 0;
    const transport = duplex(() => {
      connects++;
      return new PassThrough();
    });
    const routers = [
      new StandaloneRouter({
        address: { host: 'h', port: 6380 },
        transport,
        connection: { db: 1, clientName: 'n' },
        maxRetries: 0,
        retryDelay: () => 10,
        pool: { max: 1 },
      }),
      new StandaloneRouter({}),
      new StandaloneRouter({ link: nodeLink(), maxRetries: 1 }),
    ];
    expect(connects).toBe(0);
    expect(routers.map((r) => r.address)).toEqual([
      { host: 'h', port: 6380 },
      { host: '127.0.0.1', port: 6379 },
      { host: '127.0.0.1', port: 1 },
    ]);
    await Promise.all(routers.map((r) => r.close()));
  });

  it('seeds may carry more than host and port (a ClusterNodeInfo is a NodeAddress)', async () => {
    const node: ClusterNodeInfo = { host: '127.0.0.1', port: 1, id: 'abc', role: 'master', health: 'online' };
    const router = new ClusterRouter({ seeds: [node] });
    await router.close();
  });
});

describe("a callback's result is checked where it is used", () => {
  it('a retryDelay that returns no delay rejects the retried command with InvalidOptionError', async () => {
    // Nothing listens on port 1: the refused connection is retried, which asks retryDelay.
    const router = new StandaloneRouter({
      address: seeds[0] as NodeAddress,
      retryDelay: () => '100' as never,
    });
    try {
      const err = await router.dispatch({ args: ['PING'] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect((err as Error).message).toBe(
        "StandaloneRouter: retryDelay(1) returned the string '100'; it must return milliseconds from 0 to 2147483647",
      );
    } finally {
      await router.close();
    }
  });
});
