import { createNativeDecoder } from '@fusedis/native-codec';
import { createJsDecoder, type DecoderFactory, ReplyError } from '@fusedis/resp';
import { keySlot } from '@fusedis/router';
import {
  findServers,
  type RedisCluster,
  type RedisServer,
  startCluster,
  startRedis,
} from '@fusedis/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  type ClientOptions,
  createClient,
  GraphError,
  type GraphNode,
} from '../../src/index.js';

// client.graph(name) asks for compact replies as frame bytes (`stringMode: 'frame'`), which
// @fusedis/graph decodes in one pass: under both decoders, through every path a command takes.
const falkordb = (await findServers()).falkordbModule;
let server: RedisServer | undefined;
const opened: Client[] = [];

/** Wraps a decoder so each reply handed over as bytes (a frame) is counted. */
function counting(base: DecoderFactory, seen: { frames: number }): DecoderFactory {
  return (sink, options) =>
    base(
      {
        reply: (value) => {
          if (Buffer.isBuffer(value)) seen.frames++;
          sink.reply(value);
        },
        push: (value) => sink.push(value),
        error: (err) => sink.error(err),
        ...(sink.attribute === undefined ? {} : { attribute: sink.attribute.bind(sink) }),
        ...(sink.stringMode === undefined ? {} : { stringMode: sink.stringMode.bind(sink) }),
        ...(sink.replyMode === undefined ? {} : { replyMode: sink.replyMode.bind(sink) }),
      },
      options,
    );
}

function open(options: ClientOptions = {}): Client {
  const client = createClient({ host: server?.host ?? '', port: server?.port ?? 0, ...options });
  opened.push(client);
  return client;
}

beforeAll(async () => {
  if (falkordb === undefined) return;
  server = await startRedis({ module: falkordb });
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(opened.map((client) => client.quit()));
  await server?.stop();
});

const DECODERS = [
  ['js', createJsDecoder],
  ['native', createNativeDecoder],
] as const;

describe.skipIf(falkordb === undefined)('client.graph(): replies as frame bytes', () => {
  describe.each(DECODERS)('%s decoder', (name, decoder) => {
    it.each([2, 3] as const)(
      'RESP%i: queries decode from frames; errors are still GraphErrors',
      async (protocol) => {
        const seen = { frames: 0 };
        const client = open({ decoder: counting(decoder, seen), protocol });
        const graph = client.graph(`frame-${name}-${protocol}`);
        await graph.query('CREATE (:P {name: $n, tags: [1, 2.5, true]})-[:K {w: 1}]->(:P {name: "b"})', {
          params: { n: 'ä "q"' },
        });
        const { rows } = await graph.roQuery<{ a: GraphNode; x: number; s: string; nul: null }>(
          'MATCH (a:P)-[:K]->(b) RETURN a, 1 AS x, b.name AS s, null AS nul',
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]?.a.properties).toEqual({ name: 'ä "q"', tags: [1, 2.5, true] });
        expect(rows[0]?.a.labels).toEqual(['P']);
        expect(rows[0]).toMatchObject({ x: 1, s: 'b', nul: null });
        expect(seen.frames).toBeGreaterThanOrEqual(2);
        // Everything else still decodes as values.
        const before = seen.frames;
        expect(await client.echo('text')).toBe('text');
        expect(seen.frames).toBe(before);
        const err = await graph.query('NOT CYPHER').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(GraphError);
        expect((err as GraphError).cause).toBeInstanceOf(ReplyError);
        await graph.delete();
      },
    );
  });

  it("decoder 'native' reads graph replies with the native FalkorDB decoder: the same rows as 'js'", async () => {
    const rows = async (decoder: 'js' | 'native') => {
      const client = open({ decoder });
      const graph = client.graph(`frame-named-${decoder}`);
      await graph.query(
        'UNWIND range(1, 3000) AS i CREATE (:N {i: i, s: toString(i), f: i / 7.0, b: i % 2 = 0})',
      );
      const result = await graph.roQuery('MATCH (n:N) RETURN n, n.i AS i ORDER BY i');
      await graph.delete();
      return { info: client.decoderInfo, rows: result.rows };
    };
    // Named choices here, whichever FUSEDIS_DECODER this suite runs under (it would override them).
    const saved = process.env.FUSEDIS_DECODER;
    delete process.env.FUSEDIS_DECODER;
    let js: Awaited<ReturnType<typeof rows>>;
    let native: Awaited<ReturnType<typeof rows>>;
    try {
      js = await rows('js');
      native = await rows('native');
    } finally {
      if (saved !== undefined) process.env.FUSEDIS_DECODER = saved;
    }
    expect(js.info).toMatchObject({ kind: 'js', graphDecoder: 'js' });
    expect(native.info).toMatchObject({ kind: 'native', graphDecoder: 'native' });
    expect(native.rows).toHaveLength(3000);
    expect(native.rows).toEqual(js.rows);
  });

  it('works on a returnBuffers client, and with a key prefix (the graph name is not prefixed)', async () => {
    const buffers = open({ returnBuffers: true, keyPrefix: 'pre:' });
    const graph = buffers.graph('frame-buffers');
    const { rows } = await graph.query<{ s: string }>("CREATE (:T {v: 'x'}) RETURN 'text' AS s");
    expect(rows).toEqual([{ s: 'text' }]);
    const names = (await buffers.graphServer().list()).map(String);
    expect(names).toContain('frame-buffers');
    expect(names).not.toContain('pre:frame-buffers');
    await graph.delete();
  });

  it('keeps graph replies as text in a withOptions({ returnBuffers: true }) view', async () => {
    const view = open().withOptions({ returnBuffers: true });
    const { rows } = await view.graph('frame-view').query<{ s: string }>("RETURN 'text' AS s");
    expect(rows).toEqual([{ s: 'text' }]);
  });

  it('queues a query sent before the client connects (offline queue) and answers it once connected', async () => {
    const seen = { frames: 0 };
    const client = open({ decoder: counting(createJsDecoder, seen), lazyConnect: true });
    const pending = client.graph('frame-offline').query<{ n: number }>('RETURN 41 + 1 AS n');
    expect(client.status).not.toBe('ready');
    await client.connect();
    expect((await pending).rows).toEqual([{ n: 42 }]);
    expect(seen.frames).toBe(1);
  });

  it('runs graph.command() in a client pipeline (decoded values there), beside other commands', async () => {
    const client = open();
    const graph = client.graph('frame-pipeline');
    const cmd = graph.command<{ n: number }>('UNWIND range(1, 3) AS n RETURN n');
    const results = await client
      .pipeline()
      .echo('a')
      .call(String(cmd.args[0]), ...cmd.args.slice(1))
      .exec();
    expect(results[0]).toEqual([null, 'a']);
    expect((await cmd.decode(results[1]?.[1])).rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });
});

describe.skipIf(falkordb === undefined)('client.graph() on a cluster: frames routed by the graph key', () => {
  let cluster: RedisCluster;
  let client: Client;

  beforeAll(async () => {
    cluster = await startCluster({
      masters: 3,
      replicasPerMaster: 0,
      args: ['--loadmodule', falkordb as string],
    });
    client = createClient({ cluster: { seeds: cluster.seeds.map((s) => `redis://${s.host}:${s.port}`) } });
    await client.connect();
  }, 120_000);

  afterAll(async () => {
    await client?.quit();
    await cluster?.stop();
  });

  /** A plain client to one node. */
  async function onNode<T>(port: number, fn: (node: Client) => Promise<T>): Promise<T> {
    const node = createClient({ host: '127.0.0.1', port });
    try {
      return await fn(node);
    } finally {
      await node.quit();
    }
  }

  /** The master serving `slot`, from a node's CLUSTER SLOTS. */
  async function ownerOf(slot: number): Promise<number> {
    const ranges = (await onNode(cluster.masters[0]?.port ?? 0, (n) => n.call('CLUSTER', 'SLOTS'))) as [
      number,
      number,
      [string, number],
    ][];
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    return range?.[2][1] ?? -1;
  }

  it('sends each graph to the master owning its name, and follows a MOVED reply', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `frame-cl-${i}`);
    for (const name of names) {
      const { rows } = await client.graph(name).query<{ n: string }>('CREATE (:C {n: $n}) RETURN $n AS n', {
        params: { n: name },
      });
      expect(rows).toEqual([{ n: name }]);
      const owner = await ownerOf(keySlot(name));
      expect(await onNode(owner, (n) => n.call('EXISTS', name))).toBe(1);
    }
    expect(new Set(await Promise.all(names.map((n) => ownerOf(keySlot(n))))).size).toBeGreaterThan(1);

    // Move an empty graph's slot to another master behind the client's back: the old owner answers
    // MOVED (decoded as a ReplyError even in frame mode) and the router follows it.
    const name = 'frame-cl-moved';
    const slot = keySlot(name);
    const from = await ownerOf(slot);
    const to = cluster.masters.find((m) => m.port !== from) as (typeof cluster.masters)[number];
    expect(await client.exists(name)).toBe(0); // the client routes this slot to `from`
    // The migration protocol, not a bare SETSLOT NODE: the importing node bumps its config epoch
    // when it takes the slot, so gossip cannot hand the slot back to `from` (a bare move let the
    // two masters answer MOVED to each other until the router gave up; seen once in CI).
    const fromNode = cluster.masters.find((m) => m.port === from) as (typeof cluster.masters)[number];
    await onNode(to.port, (n) => n.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', fromNode.id));
    await onNode(from, (n) => n.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', to.id));
    for (const master of [to, fromNode, ...cluster.masters.filter((m) => m !== to && m !== fromNode)]) {
      await onNode(master.port, (n) => n.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', to.id));
    }
    const { rows } = await client.graph(name).query<{ x: number }>('CREATE (:M) RETURN 7 AS x');
    expect(rows).toEqual([{ x: 7 }]);
    expect(await onNode(to.port, (n) => n.call('EXISTS', name))).toBe(1);
    expect(await onNode(from, (n) => n.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot)))).toBe(0);
  }, 60_000);
});
