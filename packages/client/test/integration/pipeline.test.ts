import diagnostics from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { clientCore } from '../../src/client.js';
import { InvalidArgumentError, ReplyError } from '../../src/index.js';
import { createPipeline, type PipelineResult } from '../../src/pipeline.js';
import { createScript } from '../../src/script.js';
import { standaloneClients } from '../support/standalone-clients.js';

const open = standaloneClients();

describe.each([2, 3] as const)('pipelines over RESP%i', (protocol) => {
  const base = `pipe:${protocol}:${process.pid}`;

  it('keeps every result in order around an error in the middle', async () => {
    const client = open(protocol);
    const core = clientCore(client);
    const results = await createPipeline(core)
      .set(`${base}:a`, '1')
      .hset(`${base}:h`, { f: 'v' })
      .incr(`${base}:h`) // WRONGTYPE
      .get(`${base}:a`)
      .call('NOSUCHCOMMAND')
      .exists(`${base}:a`)
      .exec();
    expect(results).toHaveLength(6);
    expect(results[0]).toEqual([null, 'OK']);
    expect(results[1]).toEqual([null, 1]);
    const [wrongType, nothing] = results[2] ?? [];
    expect(wrongType).toBeInstanceOf(ReplyError);
    expect((wrongType as ReplyError).code).toBe('WRONGTYPE');
    expect(nothing).toBeNull();
    expect(results[3]).toEqual([null, '1']);
    expect((results[4]?.[0] as ReplyError | undefined)?.code).toBe('ERR');
    expect(results[5]).toEqual([null, 1]);
  });

  it("takes ioredis's array form: each [name, ...args] as call(), chainable after", async () => {
    const client = open(protocol);
    const key = `${base}:list-form`;
    const results = await client
      .pipeline([['set', key, '1'], ['incrby', key, 2], ['nosuchcommand']])
      .get(key)
      .exec();
    expect(results[0]).toEqual([null, 'OK']);
    expect(results[1]).toEqual([null, 3]);
    expect((results[2]?.[0] as ReplyError | undefined)?.code).toBe('ERR');
    expect(results[3]).toEqual([null, '3']);
    expect(await client.pipeline([], { returnBuffers: true }).get(key).exec()).toEqual([
      [null, Buffer.from('3')],
    ]);
    await client.del(key);
  });

  it('refuses a list entry that is not [name, ...args], naming it, and sends nothing', async () => {
    const client = open(protocol);
    const key = `${base}:list-bad`;
    const bad = [['set', key, '1'], 'get'] as unknown as [string][];
    expect(() => client.pipeline(bad)).toThrow(InvalidArgumentError);
    expect(() => client.pipeline(bad)).toThrow('command 1 of the list');
    expect(() => client.multi([[''] as unknown as [string]])).toThrow(InvalidArgumentError);
    expect(await client.exists(key)).toBe(0);
  });

  it('puts an argument error in place without sending that command', async () => {
    const client = open(protocol);
    const results = await createPipeline(clientCore(client))
      .set(`${base}:b`, '2')
      .hset(`${base}:b2`, ['f1', 'v1', 'f2'] as never) // odd flat list: refused while building
      .get(`${base}:b`)
      .exec();
    expect(results[0]).toEqual([null, 'OK']);
    expect(results[1]?.[0]).toBeInstanceOf(InvalidArgumentError);
    expect(results[2]).toEqual([null, '2']);
  });

  it('applies each command’s transform (HGETALL → object, EXPIRE → boolean)', async () => {
    const client = open(protocol);
    const results = await createPipeline(clientCore(client))
      .del(`${base}:t`)
      .hset(`${base}:t`, { a: '1', b: '2' })
      .hgetall(`${base}:t`)
      .expire(`${base}:t`, 100)
      .expire(`${base}:nope`, 100)
      .exec();
    expect(results.map(([e]) => e)).toEqual([null, null, null, null, null]);
    expect({ ...(results[2]?.[1] as object) }).toEqual({ a: '1', b: '2' });
    expect(results[3]?.[1]).toBe(true);
    expect(results[4]?.[1]).toBe(false);
  });

  it('runs 10,000 commands in one exec, every reply to its command', async () => {
    const client = open(protocol);
    const pipeline = createPipeline(clientCore(client));
    for (let i = 0; i < 5000; i++) pipeline.set(`${base}:big:${i}`, String(i)).get(`${base}:big:${i}`);
    expect(pipeline.length).toBe(10_000);
    const results = await pipeline.exec();
    expect(pipeline.length).toBe(0);
    expect(results).toHaveLength(10_000);
    for (let i = 0; i < 5000; i++) {
      expect(results[2 * i]).toEqual([null, 'OK']);
      expect(results[2 * i + 1]).toEqual([null, String(i)]);
    }
  });

  it('sends more than 1,024 commands on a live connection in parts of 1,024, every result in place', async () => {
    const client = open(protocol);
    await client.ping(); // connected: a large batch may go in parts
    const core = clientCore(client);
    const script = createScript(core, { lua: "return 'ran ' .. ARGV[1] -- parts", numberOfKeys: 0 });
    await client.call('SCRIPT', 'FLUSH');
    const sizes: number[] = [];
    const onBatch = (message: unknown) => sizes.push((message as { size: number }).size);
    diagnostics.subscribe('fusedis:client:batch', onBatch);
    const ttl = { EX: 1000 };
    const pipeline = createPipeline(core);
    for (let i = 0; i < 5000; i++) {
      if (i === 1500)
        pipeline.hset(`${base}:parts:h`, ['f1', 'v1', 'f2'] as never); // refused when queued
      else if (i === 2500) pipeline.runScript(script, 'x');
      else if (i === 3000)
        // Strings only, so built at exec(): the lone field (no value) is refused there, in place.
        (pipeline as unknown as { hset(key: string, field: string): unknown }).hset(`${base}:parts:h2`, 'f1');
      else if (i === 3500) pipeline.set(`${base}:parts:ttl`, 'v', ttl);
      else if (i === 4000) pipeline.call('GET', `${base}:parts:3999`);
      else pipeline.set(`${base}:parts:${i}`, String(i));
    }
    ttl.EX = 1; // an options object is read when its command is queued: this changes nothing
    let results: PipelineResult[];
    try {
      results = await pipeline.exec();
    } finally {
      diagnostics.unsubscribe('fusedis:client:batch', onBatch);
    }
    // 4,998 commands built (one HSET failed when queued, one at exec()), the SCRIPT LOAD in front.
    expect(sizes).toEqual([1024, 1024, 1024, 1024, 903]);
    expect(results).toHaveLength(5000);
    for (let i = 0; i < 5000; i++) {
      if (i === 1500) {
        expect(results[i]?.[0]).toBeInstanceOf(InvalidArgumentError);
        expect(results[i]?.[1]).toBeNull();
      } else if (i === 3000) {
        expect(results[i]?.[0]).toBeInstanceOf(InvalidArgumentError);
        expect(results[i]?.[1]).toBeNull();
      } else if (i === 2500) expect(results[i]).toEqual([null, 'ran x']);
      else if (i === 4000) expect(results[i]).toEqual([null, '3999']);
      else expect(results[i]).toEqual([null, 'OK']);
    }
    expect(await client.get(`${base}:parts:4999`)).toBe('4999');
    expect(await client.ttl(`${base}:parts:ttl`)).toBeGreaterThan(900);
  });

  it('puts an argument the encoder refuses in place, unsent, and sends the rest in parts', async () => {
    const client = open(protocol);
    await client.ping();
    const sizes: number[] = [];
    const onBatch = (message: unknown) => sizes.push((message as { size: number }).size);
    diagnostics.subscribe('fusedis:client:batch', onBatch);
    const pipeline = createPipeline(clientCore(client));
    for (let i = 0; i < 3000; i++) {
      if (i === 1000)
        pipeline.set(`${base}:refused:x`, Symbol('not an argument') as never); // built when queued
      else if (i === 2000)
        // Plain arguments, built at exec(): the missing value becomes an argument the encoder refuses.
        (pipeline as unknown as { set(key: string): unknown }).set(`${base}:refused:y`);
      else pipeline.set(`${base}:refused:${i}`, 'v');
    }
    let results: PipelineResult[];
    try {
      results = await pipeline.exec();
    } finally {
      diagnostics.unsubscribe('fusedis:client:batch', onBatch);
    }
    expect(sizes).toEqual([1024, 1024, 950]);
    for (const i of [1000, 2000]) {
      expect(results[i]?.[0]).toBeInstanceOf(InvalidArgumentError);
      expect(results[i]?.[1]).toBeNull();
    }
    expect(results.filter(([err]) => err === null)).toHaveLength(2998);
    expect(await client.exists(`${base}:refused:0`, `${base}:refused:2999`)).toBe(2);
    expect(await client.exists(`${base}:refused:x`, `${base}:refused:y`)).toBe(0);
  });

  it('sends a large pipeline as one batch while the client is not connected yet', async () => {
    const client = open(protocol);
    expect(client.status).toBe('wait');
    const sizes: number[] = [];
    const onBatch = (message: unknown) => sizes.push((message as { size: number }).size);
    diagnostics.subscribe('fusedis:client:batch', onBatch);
    const pipeline = createPipeline(clientCore(client));
    for (let i = 0; i < 3000; i++) pipeline.incr(`${base}:offline`);
    let results: PipelineResult[];
    try {
      results = await pipeline.exec();
    } finally {
      diagnostics.unsubscribe('fusedis:client:batch', onBatch);
    }
    expect(sizes).toEqual([3000]);
    expect(results.at(-1)).toEqual([null, 3000]);
  });

  it('prefixes keys, of call() too (not its other arguments), and honours Buffer mode', async () => {
    const client = open(protocol, `${base}:pfx:`);
    const plain = open(protocol);
    const results = await createPipeline(clientCore(client), { returnBuffers: true })
      .set('k', 'v')
      .get('k')
      .call('GET', 'k')
      .call('SET', 'c', 'k')
      .exec();
    expect(results[1]?.[1]).toEqual(Buffer.from('v'));
    expect(results[2]?.[1]).toEqual(Buffer.from('v'));
    expect(await plain.get(`${base}:pfx:c`)).toBe('k');
  });

  it('rejects as a whole with signal.reason when aborted, and the queue is spent', async () => {
    const client = open(protocol);
    const pipeline = createPipeline(clientCore(client)).set(`${base}:abort`, 'x');
    const reason = new Error('stop');
    await expect(pipeline.exec({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(pipeline.length).toBe(0);
    expect(await client.exists(`${base}:abort`)).toBe(0);
  });

  it('resolves an empty pipeline with [] and sends nothing', async () => {
    const client = open(protocol);
    expect(await createPipeline(clientCore(client)).exec()).toEqual([]);
    expect(client.status).toBe('wait');
  });

  it('loads a new script in the same write, so it runs in its place', async () => {
    const client = open(protocol);
    const core = clientCore(client);
    const script = createScript(core, {
      lua: "return redis.call('INCRBY', KEYS[1], ARGV[1]) -- load",
      numberOfKeys: 1,
    });
    await client.call('SCRIPT', 'FLUSH');
    await client.del(`${base}:l`);
    const results = await createPipeline(core)
      .runScript(script, `${base}:l`, 5)
      .get(`${base}:l`)
      .runScript(script, `${base}:l`, 10)
      .exec();
    expect(results).toEqual([
      [null, 5],
      [null, '5'],
      [null, 15],
    ]);
    expect(await client.call('SCRIPT', 'EXISTS', script.sha1)).toEqual([1]);
  });

  it('falls back from EVALSHA to EVAL after SCRIPT FLUSH of a loaded script, results in place', async () => {
    const client = open(protocol);
    const core = clientCore(client);
    const script = createScript(core, {
      lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])",
      numberOfKeys: 1,
    });
    await client.del(`${base}:n`);
    expect(await createPipeline(core).runScript(script, `${base}:n`, 0).exec()).toEqual([[null, 0]]);
    await client.call('SCRIPT', 'FLUSH'); // the pipeline still believes it loaded
    const results = await createPipeline(core)
      .runScript(script, `${base}:n`, 5)
      .get(`${base}:n`)
      .runScript(script, `${base}:n`, 10)
      .exec();
    expect(results[0]).toEqual([null, 5]);
    // The fallback ran after the GET (documented): it saw the key before the scripts.
    expect(results[1]).toEqual([null, '0']);
    expect(results[2]).toEqual([null, 15]);
    // EVAL cached it again: the next pipeline's EVALSHA works in its place.
    const again = await createPipeline(core).runScript(script, `${base}:n`, 1).get(`${base}:n`).exec();
    expect(again).toEqual([
      [null, 16],
      [null, '16'],
    ]);
  });

  it('reports a script that does not compile in place', async () => {
    const client = open(protocol);
    const core = clientCore(client);
    const broken = createScript(core, { lua: 'this is not lua' });
    const results = await createPipeline(core).runScript(broken).call('PING').exec();
    expect(results[0]?.[0]).toBeInstanceOf(ReplyError);
    expect((results[0]?.[0] as ReplyError | undefined)?.code).not.toBe('NOSCRIPT');
    expect(results[1]).toEqual([null, 'PONG']);
  });
});

describe.each([2, 3] as const)('a pipeline holding a blocking command (RESP%i)', (protocol) => {
  const base = `pipe-block:${protocol}:${process.pid}`;

  it('runs on a dedicated connection: other callers are not held up while it blocks', async () => {
    const client = open(protocol);
    await client.set(`${base}:k`, 'v');
    const started = performance.now();
    const blocked = client
      .pipeline()
      .set(`${base}:a`, '1')
      .blpop([`${base}:none`], 1)
      .get(`${base}:a`)
      .exec();
    // Before, this GET waited behind the BLPOP on the shared connection for the whole second.
    expect(await client.withOptions({ timeout: 300 }).get(`${base}:k`)).toBe('v');
    expect(performance.now() - started).toBeLessThan(300);
    expect(await blocked).toEqual([
      [null, 'OK'],
      [null, null],
      [null, '1'],
    ]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("so does one given by name: call('BLPOP', …) and the array form", async () => {
    const client = open(protocol);
    await client.set(`${base}:k`, 'v');
    const started = performance.now();
    const called = client.pipeline().call('BLPOP', `${base}:none`, 1).exec();
    const listed = client.pipeline([['blpop', `${base}:none`, 1]]).exec();
    // Before, call() left it unmarked: on the shared connection, this GET timed out behind it.
    expect(await client.withOptions({ timeout: 300 }).get(`${base}:k`)).toBe('v');
    expect(performance.now() - started).toBeLessThan(300);
    expect(await called).toEqual([[null, null]]);
    expect(await listed).toEqual([[null, null]]);
  });

  it('keeps its order when it is sent in parts, the blocking command in a middle part', async () => {
    const client = open(protocol);
    const counter = `${base}:counter`;
    const list = `${base}:list`;
    await client.del(counter, list);
    const pipeline = client.pipeline();
    for (let i = 0; i < 1_000; i++) pipeline.incr(counter);
    // No replica: the WAIT holds the first part's last commands for 200 ms on the shared
    // connection. The part with the BLPOP goes on another connection, after that part's replies.
    pipeline.wait(1, 200);
    for (let i = 0; i < 500; i++) pipeline.incr(counter);
    pipeline.rpush(list, 'x').blpop([list], 1);
    for (let i = 0; i < 1_500; i++) pipeline.incr(counter);
    const results = await pipeline.exec();
    expect(results).toHaveLength(3_003);
    expect(results[1_000]).toEqual([null, 0]);
    const counts = [...results.slice(0, 1_000), ...results.slice(1_001, 1_501), ...results.slice(1_503)];
    expect(counts.map(([, value]) => value)).toEqual(Array.from({ length: 3_000 }, (_, i) => i + 1));
    expect(results[1_501]).toEqual([null, 1]);
    expect(results[1_502]).toEqual([null, { key: list, element: 'x' }]);
  });
});
