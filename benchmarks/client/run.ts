/**
 * `pnpm --filter @fusedis/benchmarks bench:client`: issue 3's end-to-end client benchmark. One
 * throwaway redis-server pinned to CPU 0, seeded once; each peer runs each case in its own fresh
 * child process pinned to CPU 1; rounds rotate the peer order; medians and min–max over all
 * rounds. Prints the table and the targets, and writes results/ (see the README).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { type CaseId, caseInfo } from './cases.js';
import {
  buildDist,
  bundleChild,
  canPin,
  type Launcher,
  makeLauncher,
  REPO_DIR,
  runChild,
} from './launcher.js';
import { parseOptions, type RunOptions, USAGE } from './options.js';
import type { PeerId } from './peers/bench-client.js';
import { peerLabels } from './peers/labels.js';
import {
  buildRows,
  caseRatios,
  consoleTable,
  evaluateTargets,
  type Outcome,
  type Row,
  type Target,
  targetLines,
} from './report.js';
import { seed, startServer } from './server.js';
import type { Probe, Task, TaskResult } from './task.js';
import { loadRaw, type Meta, writeReports, writeResults } from './write-results.js';

type MutableOutcome = Outcome & {
  resp: string[];
  samples: number[];
  p50Us: number[];
  p99Us: number[];
  rssMiB: number[];
  errors: string[];
};

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function gitRevision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' });
  const dirty = spawnSync(
    'git',
    ['status', '--porcelain', '--', 'packages/resp', 'packages/pool', 'packages/client'],
    {
      cwd: REPO_DIR,
      encoding: 'utf8',
    },
  );
  const rev = head.status === 0 ? head.stdout.trim() : 'no commit yet';
  return (dirty.stdout ?? '').trim().length > 0 ? `${rev}, with uncommitted changes in packages/` : rev;
}

interface Cell {
  readonly caseId: CaseId;
  readonly outcomes: Map<PeerId, MutableOutcome>;
}

function planCells(options: RunOptions, probe: Probe): Cell[] {
  const labels = peerLabels();
  return options.cases.map((caseId) => ({
    caseId,
    outcomes: new Map(
      options.peers.map((peer): [PeerId, MutableOutcome] => {
        const why = (probe.error ?? 'does not load').split('\n')[0];
        const na = peer === 'fusedis' && !probe.fusedis ? `not ready: ${why}` : undefined;
        const base = {
          peer,
          label: labels[peer],
          resp: [],
          samples: [],
          p50Us: [],
          p99Us: [],
          rssMiB: [],
          errors: [],
        };
        return [peer, na === undefined ? base : { ...base, na }];
      }),
    ),
  }));
}

async function measureAll(
  cells: readonly Cell[],
  options: RunOptions,
  how: Launcher,
  server: { host: string; port: number },
  afterRound: (roundsDone: number, children: number, rssMethod: string) => void,
): Promise<{ children: number; rssMethod: string }> {
  const live = (cell: Cell): PeerId[] =>
    [...cell.outcomes.values()].filter((o) => o.na === undefined).map((o) => o.peer);
  const total = cells.reduce((n, c) => n + live(c).length, 0) * options.rounds;
  let done = 0;
  let rssMethod = 'not measured';
  for (let round = 0; round < options.rounds; round++) {
    for (const cell of cells) {
      const peers = live(cell);
      // Rotate, so that no peer always runs first in its case or right after the same neighbour.
      const order = peers.map((_, i) => peers[(i + round) % peers.length] as PeerId);
      for (const peer of order) {
        const outcome = cell.outcomes.get(peer) as MutableOutcome;
        done++;
        const where = `[${round + 1}/${options.rounds} ${done}/${total}] ${cell.caseId} ${peer}`;
        const it = options.iterations[cell.caseId];
        const task: Task = { peer, caseId: cell.caseId, ...it, ...server, b7Ms: options.b7Ms };
        try {
          const result = JSON.parse(await runChild(how, JSON.stringify(task))) as TaskResult;
          outcome.samples.push(...result.samples);
          outcome.resp.push(result.resp);
          outcome.p50Us.push(...(result.p50Us ?? []));
          outcome.p99Us.push(...(result.p99Us ?? []));
          if (result.rssMiB !== undefined) outcome.rssMiB.push(result.rssMiB);
          if (result.rssMethod !== undefined) rssMethod = result.rssMethod;
          const sorted = [...result.samples].sort((a, b) => a - b);
          const mid = sorted[sorted.length >> 1] ?? Number.NaN;
          const unit = caseInfo(cell.caseId).unit;
          const rss = result.rssMiB === undefined ? '' : `, peak RSS +${result.rssMiB.toFixed(1)} MiB`;
          log(`${where}: ${unit === 'ms' ? `${mid.toFixed(1)} ms` : `${Math.round(mid)} ops/s`}${rss}`);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          outcome.errors.push(message);
          log(`${where}: FAILED ${message}`);
        }
      }
    }
    afterRound(round + 1, done, rssMethod);
  }
  return { children: done, rssMethod };
}

/** Where and how this run measures, fixed before the first child. */
type RunContext = Omit<Meta, 'rounds' | 'rssMethod' | 'load' | 'elapsedSeconds' | 'children' | 'full'> & {
  readonly started: number;
  readonly loadStart: number;
  readonly full: boolean;
};

/** Rows, targets and meta from the samples so far (`roundsDone` of the planned rounds). */
function summarize(
  cells: readonly Cell[],
  ctx: RunContext,
  progress: { roundsDone: number; children: number; rssMethod: string; final: boolean },
): { rows: Row[]; targets: Target[]; meta: Meta; cases: { caseId: CaseId; outcomes: Outcome[] }[] } {
  const cases = cells.map((c) => ({ caseId: c.caseId, outcomes: [...c.outcomes.values()] }));
  const rows = buildRows(cases);
  const { started, loadStart, full, ...fixed } = ctx;
  const meta: Meta = {
    ...fixed,
    rounds: progress.roundsDone,
    rssMethod: progress.rssMethod,
    load: [loadStart, loadavg()[0] ?? 0],
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    children: progress.children,
    full: full && progress.final,
  };
  return { rows, targets: evaluateTargets(rows), meta, cases };
}

async function main(): Promise<void> {
  const options = parseOptions(
    process.argv.slice(2).filter((a) => a !== '--'),
    process.env,
  );
  if (options.help) {
    log(USAGE);
    return;
  }
  if (options.render !== undefined) {
    const { meta, rows, targets } = loadRaw(options.render);
    log(consoleTable(rows));
    log(`wrote ${writeReports(meta, rows, targets).join(', ')}`);
    return;
  }
  let source = options.source;
  if (!source && options.build && options.peers.includes('fusedis') && !buildDist(log)) {
    log('  falling back to the TS sources (as with --source).');
    source = true;
  }
  await bundleChild();
  const pin = options.pin && canPin();
  const how = makeLauncher(pin, source);
  const probe = JSON.parse(await runChild(how, 'probe')) as Probe;
  const started = Date.now();
  const loadStart = loadavg()[0] ?? 0;
  const cpu = `${cpus()[0]?.model ?? 'unknown CPU'} × ${availableParallelism()}`;
  const fusedis = probe.fusedis
    ? `${source ? 'TS sources via tsx (--conditions=@fusedis/source)' : 'built dist (tsc)'}, ${probe.entry}`
    : `NOT RUN (${(probe.error ?? 'unknown error').split('\n')[0]})`;

  const { server, pinned: serverPinned } = await startServer(pin);
  const pinned =
    pin && serverPinned
      ? 'server pinned to CPU 0, clients to CPU 1 (taskset)'
      : pin
        ? 'clients pinned to CPU 1 only'
        : 'not pinned';
  const ctx: RunContext = {
    date: new Date(started).toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu,
    pinned,
    server: `redis-server ${server.version} (@fusedis/test-harness startRedis, loopback TCP)`,
    fusedis,
    revision: gitRevision(),
    iterations: options.iterations,
    b7Ms: options.b7Ms,
    quick: options.quick,
    started,
    loadStart,
    full: options.full,
  };
  const stop = (): void => {
    void server.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  const cells = planCells(options, probe);
  let measured: { children: number; rssMethod: string };
  try {
    log(
      `node ${process.version} (V8 ${process.versions.v8}) on ${cpu}, load average ${loadStart.toFixed(2)}`,
    );
    log(`server: redis-server ${server.version} on ${server.host}:${server.port}; ${pinned}`);
    log(`fusedis: ${fusedis}`);
    log(
      `rounds: ${options.rounds}${options.quick ? ' (quick smoke run)' : ''}; peer order rotates each round`,
    );
    const t0 = Date.now();
    await seed(server);
    log(`seeded in ${Date.now() - t0} ms (10,000 strings, a 1,000,000-item list, a 100,000-field hash)`);
    if (options.profile) {
      // Loaded only here: it reuses the codec benchmark's profile reader.
      const { profileCases } = await import('./profile.js');
      await profileCases(options, options.peers, how, server, log);
      return;
    }
    measured = await measureAll(cells, options, how, server, (roundsDone, children, rssMethod) => {
      // After every round but the last, so that a run cut short leaves its samples behind.
      if (roundsDone === options.rounds) return;
      const snap = summarize(cells, ctx, { roundsDone, children, rssMethod, final: false });
      writeResults(snap.meta, snap.cases, snap.rows, snap.targets);
    });
  } finally {
    process.off('SIGINT', stop);
    await server.stop();
  }

  const { rows, targets, meta, cases } = summarize(cells, ctx, {
    roundsDone: options.rounds,
    ...measured,
    final: true,
  });
  log('');
  log(consoleTable(rows));
  log('');
  for (const line of [...caseRatios(rows), '', 'Targets (issue 3):', ...targetLines(targets)])
    log(line.replace(/\*\*/g, ''));
  log(`\n${meta.children} child processes in ${meta.elapsedSeconds} s`);
  log(`wrote ${writeResults(meta, cases, rows, targets).join(', ')}`);
  if (!options.full) log('(not a full default run: results/client.md and client.svg were left as they were)');
}

await main();
