import {
  callMisbehaviour,
  type RedisCluster,
  type RedisServer,
  startCluster,
  startRedis,
} from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, COMMANDS, createClient, FusedisError } from '../../src/index.js';
import { CONTAINER_COMMANDS } from '../../src/internal/container-methods.js';

// "Bad input gets a clear error and loses nothing", for every method of the command table: called
// with values no command takes (what JavaScript callers pass by mistake) — alone, after a valid
// key, after a key and a value — each call returns a promise (the method never throws), that
// promise settles, and a failure is one of fusedis's typed errors (never a TypeError from deep
// inside), on a client that then still serves. The same through a pipeline, where each failure
// takes its command's place, and in a transaction. On a standalone client, one with a key prefix
// (which rewrites keys before the encoder sees them) and a cluster client (which hashes them).
// The servers are this file's own: some calls that pass the client's checks run for real.

type Target = Record<string, (...args: unknown[]) => unknown>;

/** Commands that would stop or detach the server, or this connection, whatever their arguments. */
const NEVER_CALLED = new Set([
  'shutdown',
  'failover',
  'replicaof',
  'slaveof',
  'debug',
  'monitor',
  'quit',
  'reset',
  'clientKill',
  'clientPause',
  'clientReply',
  'sync',
  'psync',
]);

/** Values no command takes as an argument. */
const JUNK: readonly (readonly [string, () => unknown])[] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['a symbol', () => Symbol('junk')],
  ['a function', () => () => 1],
  ['an object of junk', () => ({ junk: 1, [Symbol('s')]: 2 })],
  ['an array of undefined', () => [undefined]],
  ['a nested array', () => [[{}]]],
  ['a boolean', () => true],
  ['NaN', () => Number.NaN],
  ['a Date', () => new Date(0)],
];

/**
 * Argument lists around one junk value: alone, after a key, after a key and a value or a number,
 * twice. The number is negative: a blocking command that took it as its timeout would otherwise
 * wait it out (the junk after it goes unread).
 */
function callsWith(junk: () => unknown): unknown[][] {
  return [[junk()], ['bad:k', junk()], ['bad:k', 'v', junk()], ['bad:k', -1, junk()], [junk(), junk()]];
}

const NAMES = Object.keys(COMMANDS).filter((name) => !NEVER_CALLED.has(name));

let server: RedisServer;
let cluster: RedisCluster;
const clients: Client[] = [];

beforeAll(async () => {
  [server, cluster] = await Promise.all([startRedis(), startCluster()]);
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.disconnect()));
  await Promise.all([server?.stop(), cluster?.stop()]);
});

/** What went wrong with one call, or undefined when it behaved (typed: a fusedis error). */
function misbehaviour(call: () => unknown): Promise<string | undefined> {
  return callMisbehaviour(call, (err) => err instanceof FusedisError);
}

type Chain = Target & { exec(): Promise<[unknown, unknown][]> };

/** Each junk kind in each argument list of `callsWith`, on every method: the misbehaviours. */
async function sweep(call: (name: string, args: unknown[], what: string) => Promise<string | undefined>) {
  const found: string[] = [];
  for (const name of NAMES) {
    for (const [what, junk] of JUNK) {
      for (const args of callsWith(junk)) {
        const wrong = await call(name, args, what);
        if (wrong !== undefined) found.push(`${name}(${args.length} args, ${what}): ${wrong}`);
      }
    }
  }
  return found;
}

const TARGETS: readonly (readonly [string, () => Client])[] = [
  ['a standalone client', () => createClient({ host: server.host, port: server.port, commandTimeout: 5000 })],
  [
    'a standalone client with a key prefix',
    () => createClient({ host: server.host, port: server.port, keyPrefix: 'app:', commandTimeout: 5000 }),
  ],
  [
    'a cluster client',
    () => createClient({ cluster: { seeds: cluster.seeds }, keyPrefix: 'app:', commandTimeout: 5000 }),
  ],
];

describe.each(TARGETS)('every command method refuses junk arguments with a typed error, on %s', (_, open) => {
  it(`called on the client (${NAMES.length} methods)`, async () => {
    const client = open();
    clients.push(client);
    const found = await sweep((name, args) =>
      misbehaviour(() => (client as unknown as Target)[name]?.(...args)),
    );
    expect(found).toEqual([]);
    expect(await client.ping()).toBe('PONG');
  }, 120_000);

  it('queued in a pipeline or a transaction: the chain never broken, failures typed', async () => {
    const client = open();
    clients.push(client);
    const found = await sweep((name, args) =>
      misbehaviour(async () => {
        for (const chain of [client.pipeline(), client.multi()] as unknown as Chain[]) {
          const queued = chain[name]?.(...args);
          if (queued !== chain) throw new Error(`the chain method returned ${typeof queued}`);
          const results = await chain.exec().catch((err: unknown) => {
            if (err instanceof FusedisError) return [];
            throw err;
          });
          for (const [err] of results) if (err !== null && !(err instanceof FusedisError)) throw err;
        }
      }),
    );
    expect(found).toEqual([]);
    expect(await client.ping()).toBe('PONG');
  }, 120_000);
});

/** The client's own methods (not the command table's) that take arguments a caller can get wrong. */
const OWN_METHODS = [
  'call',
  'sendCommand',
  'withOptions',
  'pipeline',
  'multi',
  'watch',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
  'scanIterator',
  'hscanIterator',
  'sscanIterator',
  'zscanIterator',
  'scanStream',
  'hscanStream',
  'graph',
  'defineCommand',
  'defineScript',
  'monitor',
  'duplicate',
  // ioredis's container commands (call() with the subcommand first)
  ...CONTAINER_COMMANDS,
];

describe("the client's own methods refuse junk arguments with a typed error", () => {
  it(`${OWN_METHODS.length} methods: a promise settles typed, or a fusedis error is thrown at once`, async () => {
    const client = createClient({ host: server.host, port: server.port, commandTimeout: 5000 });
    clients.push(client);
    const found: string[] = [];
    for (const name of OWN_METHODS) {
      for (const [what, junk] of JUNK) {
        for (const args of [[junk()], ['x', junk()], [junk(), junk()], ['x', 'y', junk()]]) {
          let returned: unknown;
          try {
            returned = (client as unknown as Target)[name]?.(...args);
          } catch (err) {
            if (!(err instanceof FusedisError))
              found.push(`${name}(${what}): threw ${(err as Error)?.constructor?.name}`);
            continue;
          }
          if (typeof (returned as PromiseLike<unknown> | undefined)?.then !== 'function') continue;
          const wrong = await misbehaviour(() => Promise.resolve(returned));
          if (wrong !== undefined) found.push(`${name}(${args.length} args, ${what}): ${wrong}`);
        }
      }
    }
    expect(found).toEqual([]);
    expect(await client.ping()).toBe('PONG');
  }, 60_000);
});
