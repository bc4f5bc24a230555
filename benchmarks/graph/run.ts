/**
 * The graph benchmark: `pnpm --filter @fusedis/benchmarks run bench:graph [--rounds N] [--quick]
 * [--cases g1,g2] [--modes e2e,decode] [--no-pin]`.
 *
 * Starts its own FalkorDB (redis-server + falkordb.so from the test harness) pinned to CPU 0, seeds
 * the graph, records each case's reply bytes once, then runs every peer × case × mode in a fresh
 * child process pinned to CPU 1, rounds interleaved with the peer order rotating. Writes
 * results/graph.md and results/raw-graph.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Graph, SCHEMA_LABELS, SCHEMA_PROPERTY_KEYS, SCHEMA_RELATIONSHIP_TYPES } from '@fusedis/graph';
import { findServers, startRedis } from '@fusedis/test-harness';
import { RawWire } from '../../packages/graph/test/support/raw-wire.js';
import { SocketExecutor } from '../../packages/graph/test/support/socket-executor.js';
import { summarize } from '../codec/stats.js';
import { CASES, EDGE_COUNT, GRAPH_NAME, type GraphCase, NODE_COUNT } from './cases.js';
import type { ChildTask } from './child.js';
import { PEER_LABELS, PEERS, type PeerName, type RecordedSchema } from './peers.js';
import { seedGraph } from './seed.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = join(HERE, '..');
const CACHE = join(PACKAGE_DIR, '.cache', 'graph');
const RESULTS = join(PACKAGE_DIR, 'results');
type Mode = 'e2e' | 'decode';

interface Options {
  rounds: number;
  cases: GraphCase[];
  modes: Mode[];
  pin: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const opts: Options = { rounds: 3, cases: [...CASES], modes: ['e2e', 'decode'], pin: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rounds') opts.rounds = Number(argv[++i]);
    else if (arg === '--quick') opts.rounds = 1;
    else if (arg === '--no-pin') opts.pin = false;
    else if (arg === '--cases') {
      const ids = String(argv[++i]).split(',');
      opts.cases = CASES.filter((c) => ids.includes(c.id));
    } else if (arg === '--modes') opts.modes = String(argv[++i]).split(',') as Mode[];
    else if (arg !== '--') throw new Error(`unknown option ${arg}`);
  }
  return opts;
}

/** The raw-socket floor builds no values, so it has no decode-only row. */
function peersFor(mode: Mode): readonly PeerName[] {
  return mode === 'e2e' ? PEERS : PEERS.filter((p) => p !== 'raw' && p !== 'client');
}

function canPin(): boolean {
  return (
    availableParallelism() >= 2 && spawnSync('taskset', ['-c', '1', 'true'], { stdio: 'ignore' }).status === 0
  );
}

function runChild(
  task: ChildTask,
  pinned: boolean,
): Promise<{ samples: number[]; rows: number; digest: number }> {
  const node = [
    process.execPath,
    '--expose-gc',
    '--conditions=@fusedis/source',
    '--import',
    'tsx',
    join(HERE, 'child.ts'),
    JSON.stringify(task),
  ];
  const [command, ...args] = pinned ? ['taskset', '-c', '1', ...node] : node;
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, args, { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last));
      else
        reject(
          new Error(
            `${task.peer} ${task.caseId} ${task.mode} exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`,
          ),
        );
    });
  });
}

async function record(port: number, cases: readonly GraphCase[]): Promise<RecordedSchema> {
  mkdirSync(CACHE, { recursive: true });
  const wire = await RawWire.open(port);
  try {
    for (const c of cases) {
      writeFileSync(
        join(CACHE, `${c.id}.resp`),
        await wire.request(['GRAPH.QUERY', GRAPH_NAME, c.query, '--compact']),
      );
    }
  } finally {
    await wire.close();
  }
  const executor = await SocketExecutor.open(port);
  try {
    const graph = new Graph(executor, GRAPH_NAME);
    await graph.schema.refresh(SCHEMA_LABELS | SCHEMA_RELATIONSHIP_TYPES | SCHEMA_PROPERTY_KEYS);
    const { labels, relationshipTypes, propertyKeys } = graph.schema;
    return {
      labels: [...labels],
      relationshipTypes: [...relationshipTypes],
      propertyKeys: [...propertyKeys],
    };
  } finally {
    await executor.close();
  }
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const pinned = opts.pin && canPin();
  const binaries = await findServers();
  if (binaries.falkordbModule === undefined) throw new Error('no FalkorDB module (see scripts/setup.sh)');
  const server = await startRedis({ module: binaries.falkordbModule });
  try {
    if (pinned) spawnSync('taskset', ['-a', '-p', '-c', '0', String(server.pid)], { stdio: 'ignore' });
    const modules = spawnSync('redis-cli', ['-p', String(server.port), 'MODULE', 'LIST'], {
      encoding: 'utf8',
    }).stdout;
    const ver = Number(/graph\s+ver\s+(\d+)/.exec(modules.replace(/\n/g, ' '))?.[1] ?? 0);
    const falkordb =
      ver > 0 ? `${Math.floor(ver / 10000)}.${Math.floor(ver / 100) % 100}.${ver % 100}` : 'unknown';
    log(
      `FalkorDB ${falkordb} on redis ${server.version}, port ${server.port}${pinned ? ', server on CPU 0, children on CPU 1' : ', unpinned'}`,
    );
    await seedGraph(server.port, log);
    const schema = await record(server.port, opts.cases);
    const samples = new Map<string, number[]>();
    const digests = new Map<string, number>();
    for (let round = 0; round < opts.rounds; round++) {
      for (const c of opts.cases) {
        for (const mode of opts.modes) {
          const peers = peersFor(mode);
          const order = peers.map((_, i) => peers[(i + round) % peers.length] as PeerName);
          for (const peer of order) {
            const task: ChildTask = {
              peer,
              caseId: c.id,
              mode,
              port: server.port,
              replyFile: join(CACHE, `${c.id}.resp`),
              schema,
              warmup: mode === 'e2e' ? c.warmup : c.decodeWarmup,
              iterations: mode === 'e2e' ? c.iterations : c.decodeIterations,
              batch: mode === 'e2e' ? 1 : c.decodeBatch,
            };
            const result = await runChild(task, pinned);
            const key = `${c.id}|${mode}|${peer}`;
            samples.set(key, [...(samples.get(key) ?? []), ...result.samples]);
            digests.set(key, result.digest);
            log(
              `round ${round + 1}/${opts.rounds} ${c.id} ${mode.padEnd(6)} ${peer.padEnd(11)} ${result.samples.map(fmt).join(' ')} ms`,
            );
          }
        }
      }
    }
    const lines: string[] = [];
    const table: string[] = [
      '| case | mode | peer | median ms | min–max ms | rows/s | ratio | check |',
      '|---|---|---|---:|---:|---:|---:|---|',
    ];
    const raw: Record<string, unknown> = {};
    for (const c of opts.cases) {
      for (const mode of opts.modes) {
        const base = summarize(samples.get(`${c.id}|${mode}|fusedis`) ?? []);
        for (const peer of peersFor(mode)) {
          const key = `${c.id}|${mode}|${peer}`;
          const s = summarize(samples.get(key) ?? []);
          const same = digests.get(key) === digests.get(`${c.id}|${mode}|fusedis`);
          const check = peer === 'raw' ? 'no values (floor)' : same ? 'same values' : 'DIGEST DIFFERS';
          const ratio = s.median / base.median;
          raw[key] = { ...s, samples: samples.get(key), digest: digests.get(key) };
          table.push(
            `| ${c.id} ${c.title} | ${mode} | ${PEER_LABELS[peer]} | ${fmt(s.median)} | ${fmt(s.min)}–${fmt(s.max)} | ${Math.round((c.rows / s.median) * 1000).toLocaleString('en-US')} | ${ratio.toFixed(2)}× | ${check} |`,
          );
        }
      }
    }
    const header = `${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, node ${process.version}, FalkorDB ${falkordb} (redis ${server.version}), ${pinned ? 'server pinned to CPU 0 (taskset -a -p -c 0), children to CPU 1 (taskset -c 1)' : 'unpinned'}, ${opts.rounds} round(s); per child ${opts.cases[0]?.warmup ?? 0} warm-up + ${opts.cases[0]?.iterations ?? 0} measured iterations end to end, ${opts.cases[0]?.decodeWarmup ?? 0} + ${opts.cases[0]?.decodeIterations ?? 0} decode-only (g5: 200 warm-up runs, then 10 samples each the mean of 200 back-to-back runs), fusedis from its TS sources through tsx (compiled for the running Node: #private fields native).`;
    lines.push(
      '# Graph benchmark: @fusedis/graph vs falkordb-ts',
      '',
      header,
      '',
      `Graph: ${NODE_COUNT.toLocaleString('en-US')} nodes \`(:N {id, name, score, active})\`, ${EDGE_COUNT.toLocaleString('en-US')} edges \`[:E {w}]\`. **ratio = peer median ÷ fusedis median** (above 1: fusedis faster). e2e = \`graph.query()\` on a live connection (the raw-socket row is the floor: server time, transfer and the frame scan, no values); decode = client-side work alone on the recorded reply bytes in 64 KiB chunks, no network: falkordb-ts's @redis/client decoder and result-set code; for fusedis the frame scan and the fused compact decoder. Method and caveats: graph/README.md.`,
      '',
      ...table,
      '',
    );
    console.log(`\n${lines.join('\n')}`);
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'graph.md'), lines.join('\n'));
    writeFileSync(join(RESULTS, 'raw-graph.json'), `${JSON.stringify({ header, raw }, null, 2)}\n`);
  } finally {
    await server.stop();
  }
}

await main();
