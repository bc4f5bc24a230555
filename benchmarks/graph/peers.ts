/**
 * The two peers of the graph benchmark, each measured two ways:
 * - e2e: `graph.query(q)` over a real connection, from the call to the decoded rows;
 * - decode: the same reply's recorded bytes in 64 KiB chunks (a socket's read size) through the
 *   peer's client-side path: for falkordb-ts its @redis/client RESP decoder then its result-set
 *   code; for fusedis the frame scan a client does to cut frames, then the fused compact decoder
 *   (graph.decodeReply on the frame's bytes, what graph.query() runs when the executor supports
 *   SendOptions.raw, as the socket executor does).
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { type CommandExecutor, Graph, type GraphOptions } from '@fusedis/graph';
import { type CommandArg, encodeCommand } from '@fusedis/resp';
import { FalkorDB, Graph as FalkorGraph } from 'falkordb';
import { FrameSplitter } from '../../packages/graph/test/support/frame-splitter.js';
import { SocketExecutor } from '../../packages/graph/test/support/socket-executor.js';
import { GRAPH_NAME } from './cases.js';

export type PeerName = 'fusedis' | 'native' | 'client' | 'falkordb-ts' | 'raw';
export const PEERS: readonly PeerName[] = ['fusedis', 'native', 'client', 'falkordb-ts', 'raw'];
export const PEER_LABELS: Record<PeerName, string> = {
  fusedis: '@fusedis/graph (socket executor)',
  native: '@fusedis/graph + native wire decoder (@fusedis/native-codec)',
  client: '@fusedis/client graph() (frame bytes; decoder auto)',
  'falkordb-ts': 'falkordb 6.6.2',
  raw: 'raw socket, frame scan only (floor)',
};

type Rows = Record<string, unknown>[];

/** One peer, ready to run one query many times. */
export interface PeerRunner {
  /** Runs the query once (e2e: over the network; decode: from the recorded bytes) and returns its rows. */
  run(): Promise<Rows>;
  close(): Promise<void>;
}

/** The recorded schema names, as `CALL db.*()` would return them. */
export interface RecordedSchema {
  readonly labels: string[];
  readonly relationshipTypes: string[];
  readonly propertyKeys: string[];
}

/**
 * The floor under any client (e2e only): the command written on a raw socket, the reply's frames
 * cut by the same scan the socket executor uses, no values built. Returns no rows.
 */
async function rawRunner(port: number, query: string): Promise<PeerRunner> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await once(socket, 'connect');
  const splitter = new FrameSplitter();
  let done: () => void = () => {};
  const onFrame = () => done();
  socket.on('data', (chunk: Buffer) => splitter.feed(chunk, onFrame));
  const command = encodeCommand(['GRAPH.QUERY', GRAPH_NAME, query, '--compact']);
  return {
    run: () =>
      new Promise<Rows>((resolve) => {
        done = () => resolve([]);
        socket.write(command);
      }),
    close: async () => {
      socket.end();
      await once(socket, 'close');
    },
  };
}

export async function e2eRunner(peer: PeerName, port: number, query: string): Promise<PeerRunner> {
  if (peer === 'raw') return rawRunner(port, query);
  if (peer === 'client') {
    // What users run: client.graph(name), decoder 'auto': frame bytes (SendOptions.raw), read by
    // @fusedis/graph's JS decoder at every size (`decoder: 'native'` would use native-codec's).
    const { createClient } = await import('@fusedis/client');
    const client = createClient({ host: '127.0.0.1', port });
    const graph = client.graph(GRAPH_NAME);
    return { run: async () => (await graph.query(query)).rows as Rows, close: () => client.quit() };
  }
  if (peer === 'fusedis' || peer === 'native') {
    const executor = await SocketExecutor.open(port);
    const graph = new Graph(executor, GRAPH_NAME, await graphOptions(peer));
    return { run: async () => (await graph.query(query)).rows, close: () => executor.close() };
  }
  const db = await FalkorDB.connect({ socket: { host: '127.0.0.1', port } });
  const graph = db.selectGraph(GRAPH_NAME);
  return {
    run: async () => ((await graph.query(query)).data ?? []) as Rows,
    close: () => db.close(),
  };
}

const CHUNK = 64 * 1024;

function chunksOf(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) chunks.push(bytes.subarray(i, i + CHUNK));
  return chunks;
}

function schemaReply(query: string, schema: RecordedSchema): string[] | undefined {
  return query === 'CALL db.labels()'
    ? schema.labels
    : query === 'CALL db.relationshipTypes()'
      ? schema.relationshipTypes
      : query === 'CALL db.propertyKeys()'
        ? schema.propertyKeys
        : undefined;
}

export async function decodeRunner(
  peer: PeerName,
  file: string,
  schema: RecordedSchema,
): Promise<PeerRunner> {
  const chunks = chunksOf(readFileSync(file));
  if (peer === 'raw' || peer === 'client') throw new Error(`${peer} runs end to end only`);
  return peer === 'falkordb-ts'
    ? falkordbDecode(chunks, schema)
    : fusedisDecode(chunks, schema, await graphOptions(peer));
}

/** The `native` peer: graph's own Graph with the native wire decoder (one Node-API call per reply). */
async function graphOptions(peer: PeerName): Promise<GraphOptions> {
  if (peer !== 'native') return {};
  const [graph, { createGraphWireDecoder }] = await Promise.all([
    import('@fusedis/graph'),
    import('@fusedis/native-codec'),
  ]);
  return { wireDecoder: createGraphWireDecoder(graph) };
}

function fusedisDecode(chunks: readonly Buffer[], schema: RecordedSchema, options: GraphOptions): PeerRunner {
  // The schema procedures answer from the recording; the first run fills the cache, as a session does.
  const executor: CommandExecutor = {
    sendCommand: async (args: readonly CommandArg[]) => {
      const names = schemaReply(String(args[2]), schema) ?? [];
      return [[[1, 'name']], names.map((n) => [[2, n]]), []];
    },
  };
  const graph = new Graph(executor, GRAPH_NAME, options);
  // What a client does for graph.query() when it can hand over frame bytes (SendOptions.raw): cut
  // the stream into whole frames (one scan of each byte), then the fused decode of the frame.
  const splitter = new FrameSplitter();
  let frame: Buffer | undefined;
  const onFrame = (bytes: Buffer) => {
    frame = bytes;
  };
  return {
    run: async () => {
      for (const chunk of chunks) splitter.feed(chunk, onFrame);
      return (await graph.decodeReply(frame)).rows;
    },
    close: async () => {},
  };
}

interface RedisDecoder {
  write(chunk: Buffer): void;
}
type RedisDecoderClass = new (config: {
  onReply(reply: unknown): void;
  onErrorReply(err: unknown): void;
  onPush(push: unknown): void;
  getTypeMapping(): Record<string, unknown>;
}) => RedisDecoder;

function falkordbDecode(chunks: readonly Buffer[], schema: RecordedSchema): PeerRunner {
  // falkordb-ts's own @redis/client (5.x), its RESP decoder with the empty type mapping a module
  // command gets, then QUERY.transformReply and Graph's result-set parsing, as graph.query() runs them.
  const require = createRequire(createRequire(import.meta.url).resolve('falkordb'));
  const { Decoder } = require('@redis/client/dist/lib/RESP/decoder.js') as { Decoder: RedisDecoderClass };
  const QUERY = require('./src/commands/QUERY.js') as { transformReply(reply: unknown): unknown };
  let reply: unknown;
  const typeMapping = {};
  const decoder = new Decoder({
    onReply: (v) => {
      reply = v;
    },
    onErrorReply: (e) => {
      throw e;
    },
    onPush: () => {},
    getTypeMapping: () => typeMapping,
  });
  const client = {
    query: async () => QUERY.transformReply(reply),
    roQuery: async (_graph: string, query: string) => ({
      data: (schemaReply(query, schema) ?? []).map((n) => [n]),
    }),
  };
  const graph = new FalkorGraph(client as never, GRAPH_NAME);
  return {
    run: async () => {
      for (const chunk of chunks) decoder.write(chunk);
      return ((await graph.query('recorded')).data ?? []) as Rows;
    },
    close: async () => {},
  };
}
