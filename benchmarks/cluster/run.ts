/**
 * The cluster benchmark of issue 5: fusedis vs ioredis `Cluster` vs node-redis `createCluster` on
 * one 3-master/3-replica cluster, each peer × case in its own child process, rotated rounds.
 *
 *   pnpm --filter @fusedis/benchmarks bench:cluster [--cases c1,c2] [--peers fusedis,ioredis] [--rounds 3] [--quick]
 *
 * The six servers are pinned to CPU 0 and the children to CPU 1 (when there are two). Writes
 * results/cluster.md and results/raw-cluster.json.
 */
import { join } from 'node:path';
import { ClusterRouter } from '@fusedis/router';
import { startCluster } from '@fusedis/test-harness';
import {
  bundleChild,
  canPin,
  childBundle,
  type Launcher,
  makeLauncher,
  pinProcess,
  runChild,
} from '../lib/child-launcher.js';
import { errorMessage } from '../lib/log.js';
import { writeResult } from '../lib/results-files.js';
import { rotate } from '../lib/rounds.js';
import { summarize } from '../lib/stats.js';
import { buildClientDist } from '../lib/workspace-build.js';
import { CASES, type CaseId, KEY_COUNT, key, type Sample, TITLES } from './cases.js';
import { PEERS, type PeerId, type Seed } from './peers.js';

const CHILD = childBundle(join(import.meta.dirname, 'child.ts'), 'cluster-child.mjs');

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}
const cases = (option('cases')?.split(',') ?? CASES) as CaseId[];
const peers = (option('peers')?.split(',') ?? PEERS) as PeerId[];
const rounds = Number(option('rounds') ?? 3);
const quick = process.argv.includes('--quick');

type Outcome = { sample: Sample } | { unsupported: string } | { error: string };

/** One child; its failure (a crash, or still running after 180 s) becomes the outcome's error. */
function runTask(how: Launcher, task: object): Promise<Outcome> {
  return runChild(how, JSON.stringify(task), 180_000).then(
    (line) => JSON.parse(line) as Outcome,
    (err: unknown) => ({ error: errorMessage(err) }),
  );
}

async function main(): Promise<void> {
  if (!buildClientDist((line) => console.log(line))) throw new Error('build failed');
  await bundleChild(CHILD);
  const pinned = canPin();
  const how = makeLauncher(CHILD, pinned, false);
  const cluster = await startCluster();
  try {
    if (pinned) for (const node of cluster.nodes) pinProcess(node.server.pid, 0);
    console.log(
      `cluster: ${cluster.masters.length} masters + ${cluster.replicas.length} replicas${pinned ? ', servers on CPU 0, clients on CPU 1' : ' (not pinned)'}`,
    );
    const seeds: Seed[] = cluster.seeds.map((s) => ({ host: s.host, port: s.port }));
    const seeder = new ClusterRouter({ seeds });
    const all = Array.from({ length: KEY_COUNT }, (_, i) => ({
      args: ['SET', key(i), `value-${i}`],
      keyIndexes: [1],
    }));
    await seeder.dispatchMany(all);
    await seeder.close();

    const outcomes = new Map<string, Outcome[]>();
    for (let round = 0; round < rounds; round++) {
      for (const id of cases) {
        for (const peer of rotate(peers, round)) {
          const outcome = await runTask(how, { peer, case: id, seeds, quick });
          const list = outcomes.get(`${id}/${peer}`) ?? [];
          list.push(outcome);
          outcomes.set(`${id}/${peer}`, list);
          const shown =
            'sample' in outcome
              ? JSON.stringify(outcome.sample)
              : 'unsupported' in outcome
                ? `not supported (${outcome.unsupported})`
                : outcome.error;
          console.log(`round ${round + 1} ${id} ${peer}: ${shown}`);
        }
      }
    }
    writeResults(outcomes, pinned);
  } finally {
    await cluster.stop();
  }
}

/** ops/s of one sample: c4 measures it, c1–c3 convert their pass time. */
function rate(id: CaseId, sample: Sample): number {
  if (sample.opsPerSec !== undefined) return sample.opsPerSec;
  const ops = id === 'c3' ? 10_000 : 100_000;
  return (ops * 1000) / (sample.ms as number);
}

function writeResults(outcomes: Map<string, Outcome[]>, pinned: boolean): void {
  const lines = [
    '# Cluster benchmark (issue 5)',
    '',
    `One run, ${rounds} rounds, each peer × case in its own process${pinned ? '; the six servers on CPU 0, the client on CPU 1' : ''}.`,
    'ops/s: median (min–max). Ratio: fusedis median ÷ the best peer median. Target: c1, c2 ≥ 1.5×; c3, c4 ≥ 1.0×.',
    '',
    '| case | fusedis | ioredis | node-redis | ratio | target |',
    '|---|---|---|---|---|---|',
  ];
  const raw: Record<string, unknown> = {};
  for (const id of cases) {
    const cells: string[] = [];
    const medians = new Map<PeerId, number>();
    for (const peer of PEERS) {
      const list = outcomes.get(`${id}/${peer}`) ?? [];
      raw[`${id}/${peer}`] = list;
      const samples = list.flatMap((o) => ('sample' in o ? [rate(id, o.sample)] : []));
      const unsupported = list.find((o) => 'unsupported' in o);
      const failed = list.find((o) => 'error' in o);
      if (samples.length > 0 && samples.length === list.length) {
        const s = summarize(samples);
        medians.set(peer, s.median);
        cells.push(`${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`);
      } else if (unsupported !== undefined) cells.push('not supported');
      else if (failed !== undefined)
        cells.push(`failed: ${'error' in failed ? failed.error.slice(0, 60) : ''}`);
      else cells.push('—');
    }
    const ours = medians.get('fusedis');
    const best = Math.max(...[...medians].filter(([p]) => p !== 'fusedis').map(([, m]) => m));
    const ratio = ours !== undefined && Number.isFinite(best) ? ours / best : undefined;
    const target = id === 'c1' || id === 'c2' ? 1.5 : 1.0;
    const verdict =
      ours === undefined
        ? 'fusedis did not run'
        : ratio === undefined
          ? 'no peer ran it'
          : ratio >= target
            ? 'met'
            : 'missed';
    lines.push(
      `| ${id} ${TITLES[id]} | ${cells.join(' | ')} | ${ratio === undefined ? '—' : `${ratio.toFixed(2)}×`} | ≥ ${target}× ${verdict} |`,
    );
  }
  writeResult('cluster.md', `${lines.join('\n')}\n`);
  writeResult('raw-cluster.json', `${JSON.stringify(raw, null, 2)}\n`);
  console.log(`\n${lines.join('\n')}`);
}

function fmt(opsPerSec: number): string {
  return opsPerSec >= 1e6 ? `${(opsPerSec / 1e6).toFixed(2)}M` : `${Math.round(opsPerSec / 1000)}k`;
}

await main();
