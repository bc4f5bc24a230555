/**
 * `pnpm --filter @fusedis/benchmarks bench:client`: issue 3's end-to-end client benchmark. One
 * throwaway redis-server pinned to CPU 0, seeded once; each peer runs each case in its own fresh
 * child process pinned to CPU 1; rounds rotate the peer order; medians and min–max over all
 * rounds. Prints the table and the targets, and writes results/ (see the README).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { canPin, childBundle, type Launcher, runChild } from '../lib/child-launcher.js';
import { runnerArgs } from '../lib/cli-options.js';
import { errorMessage, log } from '../lib/log.js';
import { rotate } from '../lib/rounds.js';
import { fusedisFrom, gitRevision, machineMeta } from '../lib/run-info.js';
import { helpOrRender, startChildren } from '../lib/runner-start.js';
import { middleSample } from '../lib/stats.js';
import { type Target, targetLines } from '../lib/targets.js';
import { buildClientDist } from '../lib/workspace-build.js';
import { type CaseId, caseInfo } from './cases.js';
import { parseOptions, type RunOptions, USAGE } from './options.js';
import { isFusedisPeer, type PeerId, peerRunsCase } from './peers/bench-client.js';
import { peerLabels } from './peers/labels.js';
import { buildRows, caseRatios, consoleTable, evaluateTargets, type Outcome, type Row } from './report.js';
import { seed, startServer } from './server.js';
import { CHILD_TIMEOUT_MS, type Probe, type Task, type TaskResult } from './task.js';
import { loadRaw, type Meta, writeReports, writeResults } from './write-results.js';

type MutableOutcome = Outcome & {
  resp: string[];
  samples: number[];
  p50Us: number[];
  p99Us: number[];
  rssMiB: number[];
  rssPeakMiB: number[];
  youngMiB: (readonly [number, number])[];
  errors: string[];
};

const CHILD = childBundle(join(import.meta.dirname, 'child.ts'), 'client-child.mjs');

interface Cell {
  readonly caseId: CaseId;
  readonly outcomes: Map<PeerId, MutableOutcome>;
}

function planCells(options: RunOptions, probe: Probe): Cell[] {
  const labels = peerLabels();
  return options.cases.map((caseId) => ({
    caseId,
    outcomes: new Map(
      options.peers
        .filter((peer) => peerRunsCase(peer, caseId))
        .map((peer): [PeerId, MutableOutcome] => {
          const why = (probe.error ?? 'does not load').split('\n')[0];
          const na = isFusedisPeer(peer) && !probe.fusedis ? `not ready: ${why}` : undefined;
          const base = {
            peer,
            label: labels[peer],
            resp: [],
            samples: [],
            p50Us: [],
            p99Us: [],
            rssMiB: [],
            rssPeakMiB: [],
            youngMiB: [],
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
      for (const peer of rotate(peers, round)) {
        const outcome = cell.outcomes.get(peer) as MutableOutcome;
        done++;
        const where = `[${round + 1}/${options.rounds} ${done}/${total}] ${cell.caseId} ${peer}`;
        const it = options.iterations[cell.caseId];
        const task: Task = { peer, caseId: cell.caseId, ...it, ...server, b7Ms: options.b7Ms };
        try {
          const result = JSON.parse(
            await runChild(how, JSON.stringify(task), CHILD_TIMEOUT_MS),
          ) as TaskResult;
          outcome.samples.push(...result.samples);
          outcome.resp.push(result.resp);
          outcome.p50Us.push(...(result.p50Us ?? []));
          outcome.p99Us.push(...(result.p99Us ?? []));
          if (result.rssMiB !== undefined) outcome.rssMiB.push(result.rssMiB);
          if (result.rssPeakMiB !== undefined) outcome.rssPeakMiB.push(result.rssPeakMiB);
          if (result.youngMiB !== undefined) outcome.youngMiB.push(result.youngMiB);
          if (result.rssMethod !== undefined) rssMethod = result.rssMethod;
          const mid = middleSample(result.samples);
          const unit = caseInfo(cell.caseId).unit;
          const young =
            result.youngMiB === undefined
              ? ''
              : `, young gen ${result.youngMiB.map((m) => m.toFixed(0)).join(' → ')} MiB`;
          const rss =
            result.rssMiB === undefined ? '' : `, peak RSS +${result.rssMiB.toFixed(1)} MiB${young}`;
          log(`${where}: ${unit === 'ms' ? `${mid.toFixed(1)} ms` : `${Math.round(mid)} ops/s`}${rss}`);
        } catch (err) {
          const message = errorMessage(err);
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
  const options = parseOptions(runnerArgs(), process.env);
  if (helpOrRender(options, USAGE, { load: loadRaw, table: consoleTable, write: writeReports })) return;
  const pin = options.pin && canPin();
  const { how, probe } = await startChildren<Probe>(CHILD, {
    source: options.source,
    build: options.build && options.peers.some(isFusedisPeer) ? () => buildClientDist(log) : undefined,
    pinned: pin,
    timeoutMs: CHILD_TIMEOUT_MS,
  });
  const started = Date.now();
  const loadStart = loadavg()[0] ?? 0;
  const machine = machineMeta(started);
  const fusedis = probe.fusedis
    ? fusedisFrom(how.source, probe.entry)
    : `NOT RUN (${(probe.error ?? 'unknown error').split('\n')[0]})`;

  const { server, pinned: serverPinned } = await startServer(pin);
  const pinned =
    pin && serverPinned
      ? 'server pinned to CPU 0, clients to CPU 1 (taskset)'
      : pin
        ? 'clients pinned to CPU 1 only'
        : 'not pinned';
  const ctx: RunContext = {
    ...machine,
    pinned,
    server: `redis-server ${server.version} (@fusedis/test-harness startRedis, loopback TCP)`,
    fusedis,
    revision: gitRevision(
      ['packages/resp', 'packages/pool', 'packages/client'],
      'with uncommitted changes in packages/',
    ),
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
      `node ${process.version} (V8 ${process.versions.v8}) on ${machine.cpu}, load average ${loadStart.toFixed(2)}`,
    );
    log(`server: redis-server ${server.version} on ${server.host}:${server.port}; ${pinned}`);
    log(`fusedis: ${fusedis}`);
    log(
      `rounds: ${options.rounds}${options.quick ? ' (quick smoke run)' : ''}; peer order rotates each round`,
    );
    const t0 = Date.now();
    await seed(server);
    log(`seeded in ${Date.now() - t0} ms (10,000 strings, a 1,000,000-item list, a 100,000-field hash)`);
    if (options.profile || options.deopts) {
      // Loaded only here: it reuses the codec benchmark's profile reader.
      const { inspectCases } = await import('./profile.js');
      await inspectCases(options.profile ? 'profile' : 'deopts', options, options.peers, how, server, log);
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
