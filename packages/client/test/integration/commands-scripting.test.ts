import { InvalidArgumentError, ReplyError } from '@fusedis/resp';
import { type RedisServer, startRedis } from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedSpecRunner } from '../support/shared-spec-runner.js';
import { openSpecRunner } from '../support/spec-runner.js';

const LIBRARY = `#!lua name=h2blib
redis.register_function('h2b_get', function(keys, args) return redis.call('GET', keys[1]) end)
redis.register_function{function_name='h2b_echo', callback=function(keys, args) return {keys[1], args[1]} end, flags={'no-writes'}, description='echoes'}
`;

describe.each([2, 3] as const)('scripting commands over RESP%i', (protocol) => {
  const prefix = `h2b:scripting:${protocol}:`;
  const redis = sharedSpecRunner(protocol, prefix);

  it('runs scripts with keys and arguments, by body and by SHA1', async () => {
    const key = `${prefix}k`;
    await redis.raw('SET', key, 'v');
    const script = 'return {KEYS[1], ARGV[1], redis.call("GET", KEYS[1])}';
    expect(await redis.run('eval', script, [key], ['arg'])).toEqual([key, 'arg', 'v']);
    expect(await redis.run('eval', 'return 42')).toBe(42);
    expect(await redis.run('evalRo', script, [key], ['ro'])).toEqual([key, 'ro', 'v']);
    await expect(redis.run('evalRo', 'return redis.call("SET", KEYS[1], "x")', [key])).rejects.toBeInstanceOf(
      ReplyError,
    );

    const sha = await redis.run('scriptLoad', script);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await redis.run('evalsha', sha, [key], ['sha'])).toEqual([key, 'sha', 'v']);
    expect(await redis.run('evalshaRo', sha, [key], ['sha-ro'])).toEqual([key, 'sha-ro', 'v']);
    expect(await redis.run('scriptExists', sha, ['0'.repeat(40)])).toEqual([true, false]);
    const missing = await redis.run('evalsha', 'f'.repeat(40)).catch((err: unknown) => err);
    expect((missing as ReplyError).code).toBe('NOSCRIPT');
    const kill = await redis.run('scriptKill').catch((err: unknown) => err);
    expect((kill as ReplyError).code).toBe('NOTBUSY');
  });

  it("refuses ioredis's (numkeys, key…) and node-redis's ({ keys, arguments }) forms, sending nothing", async () => {
    const key = `${prefix}forms`;
    await redis.raw('SET', key, 'unchanged');
    const setScript = 'return redis.call("SET", KEYS[1], ARGV[1])';
    for (const name of ['eval', 'evalRo', 'fcall'] as const) {
      const ioredis = await redis.run(name, setScript, 1 as never, key as never).catch((err: unknown) => err);
      expect(ioredis).toBeInstanceOf(InvalidArgumentError);
      expect((ioredis as Error).message).toContain(`${name}: keys must be an array, not number; ioredis's`);
      const nodeRedis = await redis
        .run(name, setScript, { keys: [key], arguments: ['x'] } as never)
        .catch((err: unknown) => err);
      expect((nodeRedis as Error).message).toMatch(new RegExp(`^${name}: keys must be an array, not object`));
      const args = await redis.run(name, setScript, [key], 'x' as never).catch((err: unknown) => err);
      expect((args as Error).message).toMatch(new RegExp(`^${name}: args must be an array, not string`));
    }
    expect(await redis.raw('GET', key)).toBe('unchanged');
  });

  it('loads a function library, calls it, lists it and deletes it', async () => {
    const key = `${prefix}f`;
    await redis.raw('SET', key, 'fv');
    // A unique library name per protocol: the two describe blocks may overlap with other files.
    const code = LIBRARY.replace('h2blib', `h2blib${protocol}`)
      .replaceAll('h2b_get', `h2b_get${protocol}`)
      .replaceAll('h2b_echo', `h2b_echo${protocol}`);
    expect(await redis.run('functionLoad', code)).toBe(`h2blib${protocol}`);
    expect(await redis.run('functionLoad', code, { REPLACE: true })).toBe(`h2blib${protocol}`);
    await expect(redis.run('functionLoad', code)).rejects.toBeInstanceOf(ReplyError);
    expect(await redis.run('fcall', `h2b_get${protocol}`, [key])).toBe('fv');
    expect(await redis.run('fcallRo', `h2b_echo${protocol}`, [key], ['a'])).toEqual([key, 'a']);

    const [library] = await redis.run('functionList', { LIBRARYNAME: `h2blib${protocol}`, WITHCODE: true });
    expect(library?.libraryName).toBe(`h2blib${protocol}`);
    expect(library?.engine).toBe('LUA');
    expect(library?.libraryCode).toBe(code);
    const echo = library?.functions.find((f) => f.name === `h2b_echo${protocol}`);
    expect(echo).toEqual({ name: `h2b_echo${protocol}`, description: 'echoes', flags: ['no-writes'] });
    const [plain] = await redis.run('functionList', { LIBRARYNAME: `h2blib${protocol}` });
    expect(plain?.libraryCode).toBeUndefined();
    const [buffered] = await redis.runBuffers('functionList', { LIBRARYNAME: `h2blib${protocol}` });
    expect(buffered?.libraryName).toEqual(Buffer.from(`h2blib${protocol}`));
    expect(buffered?.functions).toHaveLength(2);

    const stats = await redis.run('functionStats');
    expect(stats.runningScript).toBeNull();
    expect(stats.engines.LUA?.librariesCount).toBeGreaterThanOrEqual(1);
    const killed = await redis.run('functionKill').catch((err: unknown) => err);
    expect((killed as ReplyError).code).toBe('NOTBUSY');

    expect(await redis.run('functionDelete', `h2blib${protocol}`)).toBe('OK');
    expect(await redis.run('functionList', { LIBRARYNAME: `h2blib${protocol}` })).toEqual([]);
  });
});

// SCRIPT FLUSH, FUNCTION FLUSH and FUNCTION RESTORE empty or replace server-wide state: they run
// on a server of their own, never on the one other test files share.
describe.sequential('server-wide scripting state', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());

  it.each([2, 3] as const)(
    'flushes the script cache, dumps and restores functions (RESP%i)',
    async (protocol) => {
      const redis = await openSpecRunner(server, { protocol });
      try {
        const sha = await redis.run('scriptLoad', 'return 1');
        expect(await redis.run('scriptFlush', 'SYNC')).toBe('OK');
        expect(await redis.run('scriptExists', sha)).toEqual([false]);
        await redis.run('scriptLoad', 'return 1');
        expect(await redis.run('scriptFlush')).toBe('OK');
        expect(await redis.run('scriptExists', sha)).toEqual([false]);

        await redis.run('functionLoad', LIBRARY);
        // The payload is binary: read it as a Buffer (the spec also asks for one with stringMode).
        expect(redis.build('functionDump').stringMode).toBe('buffer');
        const payload = await redis.runBuffers('functionDump');
        expect(Buffer.isBuffer(payload)).toBe(true);
        expect(await redis.run('functionFlush', 'SYNC')).toBe('OK');
        expect(await redis.run('functionList')).toEqual([]);
        expect(await redis.run('functionRestore', payload)).toBe('OK');
        await expect(redis.run('functionRestore', payload)).rejects.toBeInstanceOf(ReplyError);
        expect(await redis.run('functionRestore', payload, 'REPLACE')).toBe('OK');
        expect(await redis.run('functionRestore', payload, 'FLUSH')).toBe('OK');
        expect((await redis.run('functionList')).map((l) => l.libraryName)).toEqual(['h2blib']);
        expect(await redis.run('functionFlush')).toBe('OK');
        expect(await redis.run('functionList')).toEqual([]);
      } finally {
        await redis.close();
      }
    },
  );
});
