import { describe, expect, inject, it } from 'vitest';
import { clientCore } from '../../src/client.js';
import { createClient, InvalidArgumentError, ReplyError } from '../../src/index.js';
import { createScript, ScriptCode } from '../../src/script.js';
import { standaloneClients } from '../support/standalone-clients.js';

const open = standaloneClients();

describe.each([2, 3] as const)('scripts over RESP%i', (protocol) => {
  const base = `script:${protocol}:${process.pid}`;

  it('runs EVALSHA, and after SCRIPT FLUSH falls back to EVAL transparently', async () => {
    const client = open(protocol);
    const script = createScript(clientCore(client), {
      // A source of its own (the comment): no other test can load or run the same script.
      lua: `redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1]) -- ${base}`,
      numberOfKeys: 1,
    });
    await client.call('SCRIPT', 'FLUSH');
    expect(await client.call('SCRIPT', 'EXISTS', script.sha1)).toEqual([0]);
    expect(await script.run(`${base}:a`, 'one')).toBe('one'); // NOSCRIPT → EVAL
    expect(await client.call('SCRIPT', 'EXISTS', script.sha1)).toEqual([1]); // EVAL cached it
    expect(await script.run(`${base}:a`, 'two')).toBe('two'); // EVALSHA
    await client.call('SCRIPT', 'FLUSH');
    expect(await script.run(`${base}:a`, 'three')).toBe('three');
  });

  it('takes (keys, args) arrays without numberOfKeys, and prefixes only keys', async () => {
    const client = open(protocol, `${base}:p:`);
    const script = createScript(clientCore(client), { lua: 'return {KEYS[1], KEYS[2], ARGV[1]}' });
    expect(await script.run(['x', 'y'], ['arg'])).toEqual([`${base}:p:x`, `${base}:p:y`, 'arg']);
    expect(await script.run()).toEqual([]);
  });

  it('runs read-only scripts with EVALSHA_RO, which refuses writes', async () => {
    const client = open(protocol);
    const core = clientCore(client);
    await client.set(`${base}:ro`, 'v');
    const reader = createScript(core, {
      lua: "return redis.call('GET', KEYS[1])",
      numberOfKeys: 1,
      readOnly: true,
    });
    expect(await reader.run(`${base}:ro`)).toBe('v');
    const writer = createScript(core, {
      lua: "return redis.call('DEL', KEYS[1])",
      numberOfKeys: 1,
      readOnly: true,
    });
    await expect(writer.run(`${base}:ro`)).rejects.toBeInstanceOf(ReplyError);
    expect(await client.get(`${base}:ro`)).toBe('v');
  });

  it('rejects a script error as ReplyError (not retried as NOSCRIPT)', async () => {
    const client = open(protocol);
    const script = createScript(clientCore(client), { lua: "return redis.error_reply('BOOM nope')" });
    const err = await script.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect((err as ReplyError).code).toBe('BOOM');
  });

  it('runWith() passes per-call options (Buffer mode)', async () => {
    const client = open(protocol);
    const script = createScript(clientCore(client), { lua: "return 'bytes'" });
    expect(await script.runWith({ stringMode: 'buffer' })).toEqual(Buffer.from('bytes'));
  });
});

describe.each([2, 3] as const)("ioredis's defineCommand over RESP%i", (protocol) => {
  const base = `defcmd:${protocol}:${process.pid}`;
  type Defined = Record<string, (...args: unknown[]) => unknown>;

  it('adds name() and nameBuffer() with a fixed numberOfKeys; keys prefixed; survives SCRIPT FLUSH', async () => {
    const client = open(protocol, `${base}:p:`);
    client.defineCommand('myecho', {
      numberOfKeys: 2,
      lua: `return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]} -- ${base}`,
    });
    const methods = client as unknown as Defined;
    expect(await methods.myecho?.('k1', 'k2', 'a1', 'a2')).toEqual([
      `${base}:p:k1`,
      `${base}:p:k2`,
      'a1',
      'a2',
    ]);
    await client.call('SCRIPT', 'FLUSH');
    expect(await methods.myechoBuffer?.('k1', 'k2', 'a1', 'a2')).toEqual(
      [`${base}:p:k1`, `${base}:p:k2`, 'a1', 'a2'].map((s) => Buffer.from(s)),
    );
    await expect(methods.myecho?.('only-one-key')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('takes the number of keys first without numberOfKeys, as ioredis does', async () => {
    const client = open(protocol);
    client.defineCommand('keysAndArgs', { lua: `return {#KEYS, #ARGV} -- ${base}` });
    const methods = client as unknown as Defined;
    expect(await methods.keysAndArgs?.(2, 'a', 'b', 'x')).toEqual([2, 1]);
    expect(await methods.keysAndArgs?.(0)).toEqual([0, 0]);
    await expect(methods.keysAndArgs?.(3, 'a')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('is a method of pipelines, transactions and views made afterwards', async () => {
    const client = open(protocol);
    client.defineCommand('incrTwice', {
      numberOfKeys: 1,
      lua: `redis.call('INCRBY', KEYS[1], ARGV[1]); return redis.call('INCRBY', KEYS[1], ARGV[1]) -- ${base}`,
    });
    const key = `${base}:n`;
    await client.del(key);
    const pipeline = client.pipeline() as unknown as Defined & { exec(): Promise<unknown> };
    pipeline.incrTwice?.(key, 1);
    expect(await pipeline.exec()).toEqual([[null, 2]]);
    const tx = client.multi() as unknown as Defined & { exec(): Promise<unknown> };
    tx.incrTwice?.(key, 5);
    expect(await tx.exec()).toEqual([[null, 12]]);
    const view = client.withOptions({ timeout: 1000 }) as unknown as Defined;
    expect(await view.incrTwice?.(key, 1)).toBe(14);
    // ioredis's array form reaches defined commands by name too.
    expect(
      await client
        .pipeline([
          ['incrTwice', key, 1],
          ['get', key],
        ])
        .exec(),
    ).toEqual([
      [null, 16],
      [null, '16'],
    ]);
  });

  it("takes ioredis's scripts option, and keeps it in duplicate()", async () => {
    const { host, port } = inject('servers').standalone;
    const withScripts = createClient({
      host,
      port,
      protocol,
      scripts: {
        sumArgs: { numberOfKeys: 0, lua: `return tonumber(ARGV[1]) + tonumber(ARGV[2]) -- ${base}` },
      },
    });
    const copy = withScripts.duplicate();
    try {
      expect(await (withScripts as unknown as Defined).sumArgs?.(2, 3)).toBe(5);
      expect(await (copy as unknown as Defined).sumArgs?.(4, 5)).toBe(9);
    } finally {
      await Promise.all([withScripts.quit(), copy.quit()]);
    }
    // node-redis's script shape (SCRIPT, NUMBER_OF_KEYS) has no lua: refused.
    const nodeRedisShape = { sumArgs: { SCRIPT: 'return 1', NUMBER_OF_KEYS: 0 } } as unknown as Record<
      string,
      { lua: string }
    >;
    expect(() => createClient({ lazyConnect: true, scripts: nodeRedisShape })).toThrow(InvalidArgumentError);
  });

  it('refuses a name the client already has, and names that are not identifiers', () => {
    const client = open(protocol);
    expect(() => client.defineCommand('get', { lua: 'return 1' })).toThrow(InvalidArgumentError);
    client.defineCommand('onlyOnce', { lua: 'return 1', numberOfKeys: 0 });
    expect(() => client.defineCommand('onlyOnce', { lua: 'return 2' })).toThrow(/already a method/);
    expect(() => client.defineCommand('once', { lua: 'return 2' })).toThrow(/already a method/);
    expect(() => client.defineCommand('has space', { lua: 'return 1' })).toThrow(InvalidArgumentError);
    expect(() => client.defineCommand('fine', { lua: '' })).toThrow(InvalidArgumentError);
  });
});

describe('ScriptCode', () => {
  it('computes the SHA1 that SCRIPT LOAD returns', async () => {
    const client = open(3);
    const code = new ScriptCode({ lua: 'return 42' });
    expect(await client.call('SCRIPT', 'LOAD', code.lua)).toBe(code.sha1);
  });

  it('refuses bad definitions and too few keys up front', () => {
    expect(() => new ScriptCode({ lua: '' })).toThrow(InvalidArgumentError);
    expect(() => new ScriptCode({ lua: 'return 1', numberOfKeys: -1 })).toThrow(InvalidArgumentError);
    const code = new ScriptCode({ lua: 'return 1', numberOfKeys: 2 });
    expect(() => code.evalShaCommand(['only-one'])).toThrow(InvalidArgumentError);
    expect(code.evalShaCommand(['a', 'b', 'c'])).toEqual({
      args: ['EVALSHA', code.sha1, 2, 'a', 'b', 'c'],
      keyIndexes: [3, 4],
    });
  });
});
