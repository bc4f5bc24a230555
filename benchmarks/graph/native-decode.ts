/**
 * Native vs JS compact-result decode of one recorded reply, interleaved in one process: the
 * `@fusedis/native-codec` wire decoder against `@fusedis/graph`'s `CompactWireDecoder` on the
 * bytes of `MATCH (n:N) RETURN n LIMIT 100000` (100,000 nodes, 4 properties each, names resolved).
 *
 *   node --expose-gc --conditions=@fusedis/source --import tsx graph/native-decode.ts [--iterations 40] [--nodes 100000]
 *
 * Starts its own FalkorDB (the test harness's binaries), seeds `(:N {id, name, score, active})` as
 * seed.ts does, records the reply's frame bytes, stops the server, then times both decoders on
 * the same bytes: warm-up, then rounds of one JS and one native decode in alternating order, with
 * gc() before each. Prints medians, min–max and the per-round ratio (JS ÷ native).
 *
 * A third row, `walk`, is the native decoder's JS half alone on a tape Rust made once: building
 * graph's objects with no byte parsed at all. It is the floor under any decoder that builds the
 * same objects in JS, and it bounds the speed-up native can reach.
 */

import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import * as graph from '@fusedis/graph';
import { createGraphWireDecoder } from '@fusedis/native-codec';
import { findServers, startRedis } from '@fusedis/test-harness';
import { SocketExecutor } from '../../packages/graph/test/support/socket-executor.js';
import {
  type DecodeGraphReply,
  graphWireDecoderFactory,
} from '../../packages/native-codec/src/graph-decoder.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(argv[i + 1]);
};
const ITERATIONS = option('iterations', 40);
const NODES = option('nodes', 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

async function record(): Promise<{ bytes: Buffer; schema: graph.SchemaCache }> {
  const { falkordbModule } = await findServers();
  if (falkordbModule === undefined) throw new Error('no FalkorDB module: run scripts/setup.sh');
  const server = await startRedis({ module: falkordbModule });
  const executor = await SocketExecutor.open(server.port);
  try {
    const g = new graph.Graph(executor, 'bench:native');
    for (let from = 0; from < NODES; from += 50_000) {
      await g.query(
        "UNWIND range($from, $to) AS i CREATE (:N {id: i, name: 'node-' + toString(i), score: i / 7.0, active: i % 2 = 0})",
        { params: { from, to: Math.min(from + 50_000, NODES) - 1 } },
      );
    }
    const bytes = (await executor.sendCommand(
      ['GRAPH.RO_QUERY', 'bench:native', `MATCH (n:N) RETURN n LIMIT ${NODES}`, '--compact'],
      { stringMode: 'utf8', raw: true },
    )) as Buffer;
    await g.schema.refresh(
      graph.SCHEMA_LABELS | graph.SCHEMA_RELATIONSHIP_TYPES | graph.SCHEMA_PROPERTY_KEYS,
    );
    return { bytes, schema: g.schema };
  } finally {
    await executor.close();
    await server.stop();
  }
}

const { bytes, schema } = await record();
const { labels, relationshipTypes, propertyKeys } = schema;
const native = createGraphWireDecoder(graph);
// The walk alone: the addon's output for these bytes, made once and handed back every time.
const { decodeGraphReply } = createRequire(import.meta.url)('../../packages/native-codec/binding.cjs') as {
  decodeGraphReply: DecodeGraphReply;
};
const made = decodeGraphReply(bytes, new Float64Array(0), [BigInt, Number]);
const walkOnly = graphWireDecoderFactory(() => made, graph);
const decoders = {
  js: () => new graph.CompactWireDecoder(labels, relationshipTypes, propertyKeys).result(bytes, false),
  native: () => native(labels, relationshipTypes, propertyKeys).result(bytes, false),
  walk: () => walkOnly(labels, relationshipTypes, propertyKeys).result(bytes, false),
};
const a = decoders.js();
const b = decoders.native();
if (a.rows.length !== NODES || !isDeepStrictEqual(a.rows, b.rows)) throw new Error('the decoders disagree');

for (let i = 0; i < 5; i++) {
  decoders.js();
  decoders.native();
  decoders.walk();
}
type Name = keyof typeof decoders;
const samples: Record<Name, number[]> = { js: [], native: [], walk: [] };
const time = (name: Name) => {
  gc();
  const t0 = process.hrtime.bigint();
  decoders[name]();
  samples[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
};
for (let i = 0; i < ITERATIONS; i++) {
  if (i % 2 === 0) {
    time('js');
    time('native');
  } else {
    time('native');
    time('js');
  }
  time('walk');
}
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const ratios = samples.js.map((j, i) => j / (samples.native[i] as number));
const fmt = (n: number) => n.toFixed(1);
const line = (name: Name) =>
  `${name.padEnd(6)} median ${fmt(median(samples[name]))} ms, min–max ${fmt(Math.min(...samples[name]))}–${fmt(Math.max(...samples[name]))} ms`;
console.log(
  `${NODES.toLocaleString('en-US')} nodes, ${(bytes.length / 1e6).toFixed(1)} MB reply, ${ITERATIONS} rounds, node ${process.version}`,
);
console.log(line('js'));
console.log(line('native'));
console.log(`${line('walk')} (native's JS half alone: the floor)`);
console.log(
  `JS ÷ native: ratio of medians ${(median(samples.js) / median(samples.native)).toFixed(2)}×; per round median ${median(ratios).toFixed(2)}×, min–max ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`,
);
