import { ReplyError } from '@fusedis/resp';
import { describe, expect, inject, it } from 'vitest';
import { COMMAND_KEY_TABLE, KEY_TABLE_SOURCE } from '../../src/internal/call-key-table.js';
import { describeCall } from '../../src/internal/call-keys.js';
import { keyInfoFromCommandInfo } from '../support/command-info-key-specs.js';
import { docCommands, type SampleChoices, sampleCall } from '../support/docs-call-samples.js';
import { openSpecRunner } from '../support/spec-runner.js';
import { standaloneClients } from '../support/standalone-clients.js';

describe("call()'s key table against the running server", () => {
  it('is what COMMAND INFO says (regenerate with `pnpm run generate:key-table` when not)', async () => {
    const server = inject('servers').standalone;
    const redis = await openSpecRunner(server, { protocol: 2 });
    try {
      const infos = keyInfoFromCommandInfo(await redis.raw('COMMAND', 'INFO'));
      const differences: string[] = [];
      for (const info of infos) {
        const entry = COMMAND_KEY_TABLE.get(info.name);
        const expected = info.specs.length > 0 || info.unknownSpecs > 0;
        if (!expected) {
          if (entry !== undefined && entry.subcommands !== true)
            differences.push(`${info.name}: in the table`);
          continue;
        }
        if (entry === undefined) {
          // A server newer or older than the table's may know commands the table does not.
          if (server.version === KEY_TABLE_SOURCE) differences.push(`${info.name}: missing`);
          continue;
        }
        const same =
          JSON.stringify(entry.specs ?? []) === JSON.stringify(info.specs) &&
          (entry.readOnly === true) === info.readOnly &&
          (entry.unknownSpecs ?? 0) === info.unknownSpecs;
        if (!same)
          differences.push(`${info.name}: table ${JSON.stringify(entry)} server ${JSON.stringify(info)}`);
      }
      expect(differences).toEqual([]);
      expect(COMMAND_KEY_TABLE.size).toBeGreaterThan(200);
    } finally {
      await redis.close();
    }
  });

  it('finds the keys COMMAND GETKEYS finds, for sample calls of every documented command', async () => {
    const redis = await openSpecRunner(inject('servers').standalone, { protocol: 2 });
    try {
      const commands = docCommands(await redis.raw('COMMAND', 'DOCS'));
      // Commands without docs (the vector-set module's in Redis 8): plain words, 1 to 4 of them.
      const documented = new Set(commands.map((c) => c.name));
      const undocumented = [...COMMAND_KEY_TABLE.keys()].filter(
        (name) => COMMAND_KEY_TABLE.get(name)?.subcommands !== true && !documented.has(name),
      );
      for (const name of undocumented) {
        const words = name.split('|').map((w) => w.toUpperCase());
        commands.push({
          name,
          words,
          grammar: [{ type: 'string', optional: true, multiple: true, multipleToken: false, children: [] }],
        });
      }
      expect(undocumented.length).toBeLessThan(20);
      let counter = 0;
      const unique = () => ++counter;
      const wrong: string[] = [];
      let compared = 0;
      let keyed = 0;
      const refused = new Set<string>();
      const accepted = new Set<string>();
      for (const command of commands) {
        for (let variant = 0; variant < 8; variant++) {
          const args = sampleCall(command, choicesFor(variant, command.name), unique);
          const found = await serverKeys(redis.raw.bind(redis), args);
          if (found === 'refused') {
            refused.add(command.name);
            continue;
          }
          accepted.add(command.name);
          compared++;
          const cmd = describeCall(args);
          const marked = (cmd.keyIndexes ?? []).map((i) => args[i] as string);
          if (found.length > 0) keyed++;
          if ([...marked].sort().join() !== [...found].sort().join()) {
            wrong.push(`${args.join(' ')}: marked [${marked}] server [${found}]`);
          }
        }
      }
      expect(wrong).toEqual([]);
      // Every command with keys in the table got at least one sample the server accepted.
      const neverAccepted = [...COMMAND_KEY_TABLE.keys()].filter(
        (name) => COMMAND_KEY_TABLE.get(name)?.subcommands !== true && !accepted.has(name),
      );
      expect(neverAccepted).toEqual([]);
      expect(compared).toBeGreaterThan(1500);
      expect(keyed).toBeGreaterThan(1000);
    } finally {
      await redis.close();
    }
  });
});

/** Shard channels are hashed like keys but are not keys: the server's GETKEYS lists them. */
const CHANNEL_COMMANDS = new Set(['spublish', 'ssubscribe', 'sunsubscribe']);

async function serverKeys(
  raw: (...args: string[]) => Promise<unknown>,
  args: readonly string[],
): Promise<string[] | 'refused'> {
  try {
    const keys = ((await raw('COMMAND', 'GETKEYS', ...args)) as unknown[]).map(String);
    return CHANNEL_COMMANDS.has(String(args[0]).toLowerCase()) ? [] : keys;
  } catch (err) {
    if (!(err instanceof ReplyError)) throw err;
    // Keyless commands are refused with this text; a malformed sample with another.
    return /no key arguments/i.test(err.message) ? [] : 'refused';
  }
}

/** Variant 0 is the shortest call, 1 the longest, the rest pseudo-random (seeded per command). */
function choicesFor(variant: number, name: string): SampleChoices {
  if (variant === 0) return { optional: () => false, repeats: () => 1, branch: () => 0, integer: () => '1' };
  if (variant === 1) return { optional: () => true, repeats: () => 2, branch: () => 0, integer: () => '2' };
  let seed = variant * 7919;
  for (const c of name) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  return {
    optional: () => next() < 0.5,
    repeats: () => 1 + Math.floor(next() * 3),
    branch: (count) => Math.floor(next() * count),
    integer: () => String(1 + Math.floor(next() * 3)),
  };
}

describe.each([2, 3] as const)('call() with a key prefix over RESP%i', (protocol) => {
  const open = standaloneClients();
  const p = `call-keys:${protocol}:`;

  it('prefixes the keys of call(), pipeline().call(), multi().call() and the array form', async () => {
    const plain = open(protocol);
    const app = open(protocol, `${p}app:`);
    expect(await app.call('SET', 'a', '1')).toBe('OK');
    expect(await plain.get(`${p}app:a`)).toBe('1');
    expect(await plain.get('a')).not.toBe('1');
    expect(await app.call('get', 'a')).toBe('1');
    expect(await app.call('MSET', 'b', '2', 'c', '3')).toBe('OK');
    expect(await plain.mget([`${p}app:b`, `${p}app:c`])).toEqual(['2', '3']);
    expect(await app.pipeline().call('INCR', 'n').call('INCRBY', 'n', 4).exec()).toEqual([
      [null, 1],
      [null, 5],
    ]);
    expect(await app.multi().call('APPEND', 't', 'x').call('APPEND', 't', 'y').exec()).toEqual([
      [null, 1],
      [null, 2],
    ]);
    expect(
      await app
        .pipeline([
          ['set', 'arr', 'v'],
          ['get', 'arr'],
        ])
        .exec(),
    ).toEqual([
      [null, 'OK'],
      [null, 'v'],
    ]);
    expect(await plain.mget([`${p}app:n`, `${p}app:t`, `${p}app:arr`])).toEqual(['5', 'xy', 'v']);
    expect(await app.sendCommand(['OBJECT', 'ENCODING', 'n'])).toBe('int');
  });

  it('flattens array arguments one level, as ioredis does, before finding the keys', async () => {
    const plain = open(protocol);
    const app = open(protocol, `${p}flat:`);
    expect(await app.call('RPUSH', 'l', ['a', 'b'], 'c', [])).toBe(3);
    expect(await plain.lrange(`${p}flat:l`, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(await app.call('MSET', ['x', '1', 'y', '2'])).toBe('OK');
    expect(await app.pipeline().call('DEL', ['x', 'y']).exec()).toEqual([[null, 2]]);
    expect(await app.multi().call('EXISTS', ['l', 'x']).exec()).toEqual([[null, 1]]);
    expect(await app.watch('l', (tx) => tx.call('LLEN', ['l']))).toBe(3);
  });

  it('prefixes movable keys: EVAL, ZUNIONSTORE, XREAD STREAMS, and SORT with BY, GET and STORE', async () => {
    const plain = open(protocol);
    const app = open(protocol, `${p}mv:`);
    const script = "return {KEYS[1], KEYS[2], ARGV[1], redis.call('GET', KEYS[1])}";
    await plain.set(`${p}mv:k1`, 'one');
    expect(await app.call('EVAL', script, 2, 'k1', 'k2', 'arg')).toEqual([
      `${p}mv:k1`,
      `${p}mv:k2`,
      'arg',
      'one',
    ]);
    await plain.zadd(`${p}mv:z1`, { score: 1, value: 'm' });
    await plain.zadd(`${p}mv:z2`, { score: 2, value: 'm' });
    expect(await app.call('ZUNIONSTORE', 'zd', 2, 'z1', 'z2', 'WEIGHTS', 1, 1)).toBe(1);
    expect(await plain.zscore(`${p}mv:zd`, 'm')).toBe(3);
    await plain.xadd(`${p}mv:s1`, '1-1', { f: 'v' });
    const read = (await app.call('XREAD', 'COUNT', 5, 'STREAMS', 's1', 's2', '0', '0')) as unknown;
    expect(JSON.stringify(read)).toContain(`${p}mv:s1`);
    await plain.rpush(`${p}mv:list`, ['2', '1', '3']);
    await plain.mset({ [`${p}mv:w_1`]: '30', [`${p}mv:w_2`]: '10', [`${p}mv:w_3`]: '20' });
    await plain.mset({ [`${p}mv:o_1`]: 'one', [`${p}mv:o_2`]: 'two', [`${p}mv:o_3`]: 'three' });
    expect(await app.call('SORT', 'list', 'BY', 'w_*', 'GET', '#', 'GET', 'o_*')).toEqual([
      '2',
      'two',
      '3',
      'three',
      '1',
      'one',
    ]);
    expect(await app.call('SORT', 'list', 'BY', 'nosort', 'LIMIT', 0, 2, 'STORE', 'sorted')).toBe(2);
    expect(await plain.lrange(`${p}mv:sorted`, 0, -1)).toEqual(['2', '1']);
    expect(await app.sort('list', { BY: 'w_*', GET: 'o_*' })).toEqual(['two', 'three', 'one']);
  });

  it('sends commands it does not know, and keyless ones, as given', async () => {
    const app = open(protocol, `${p}none:`);
    expect(await app.call('PING', 'hello')).toBe('hello');
    expect(await app.call('ECHO', 'k')).toBe('k');
    await expect(app.call('NOSUCHCOMMAND', 'k')).rejects.toThrow(/unknown command/i);
  });
});
