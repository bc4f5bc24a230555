/**
 * The cluster benchmark of issue 5: fusedis vs ioredis `Cluster` vs node-redis `createCluster` on
 * one 3-master/3-replica cluster, each peer × case in its own child process, rotated rounds.
 *
 *   pnpm --filter @fusedis/benchmarks bench:cluster [--cases c1,c2] [--peers fusedis,ioredis] [--rounds 3] [--quick]
 *
 * The six servers are pinned to CPU 0 and the children to CPU 1 (when there are two). Writes
 * results/cluster.md and results/raw-cluster.json.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterRouter } from '@fusedis/router';
import { startCluster } from '@fusedis/test-harness';
import { build } from 'esbuild';
import { buildDist, canPin, PACKAGE_DIR, pinProcess } from '../client/launcher.js';
import { summarize } from '../codec/stats.js';
import { CASES, type CaseId, KEY_COUNT, key, type Sample, TITLES } from './cases.js';
import { PEERS, type PeerId, type Seed } from './peers.js';

const CHILD = join(PACKAGE_DIR, '.cache', 'cluster-child.mjs');

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}
const cases = (option('cases')?.split(',') ?? CASES) as CaseId[];
const peers = (option('peers')?.split(',') ?? PEERS) as PeerId[];
const rounds = Number(option('rounds') ?? 3);
const quick = process.argv.includes('--quick');

type Outcome = { sample: Sample } | { unsupported: string } | { error: string };

function runChild(pinned: boolean, task: object): Promise<Outcome> {
  const node = [process.execPath, '--expose-gc', CHILD, JSON.stringify(task)];
  const [command, ...args] = pinned ? ['taskset', '-c', '1', ...node] : node;
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(command as string, args, {
      cwd: PACKAGE_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as Outcome);
      else
        resolve({
          error: `exit ${code}: ${(
            err
              .trim()
              .split('\n')
              .find((l) => /Error/.test(l)) ?? err
          ).slice(0, 200)}`,
        });
    });
  });
}

async function main(): Promise<void> {
  if (!buildDist((line) => console.log(line))) throw new Error('build failed');
  await build({
    entryPoints: [join(import.meta.dirname, 'child.ts')],
    outfile: CHILD,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    logLevel: 'warning',
  });
  const pinned = canPin();
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
        const order = peers.map((_, i) => peers[(i + round) % peers.length] as PeerId);
        for (const peer of order) {
          const outcome = await runChild(pinned, { peer, case: id, seeds, quick });
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
  writeFileSync(join(PACKAGE_DIR, 'results', 'cluster.md'), `${lines.join('\n')}\n`);
  writeFileSync(join(PACKAGE_DIR, 'results', 'raw-cluster.json'), `${JSON.stringify(raw, null, 2)}\n`);
  console.log(`\n${lines.join('\n')}`);
}

function fmt(opsPerSec: number): string {
  return opsPerSec >= 1e6 ? `${(opsPerSec / 1e6).toFixed(2)}M` : `${Math.round(opsPerSec / 1000)}k`;
}

await main();
