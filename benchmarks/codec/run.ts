/**
 * `pnpm bench`: the codec benchmark. Each peer runs each case in its own fresh child process
 * (pinned to CPU 1 when `taskset` is there), rounds interleave the peers, and the samples of all
 * rounds give the median and min–max. Prints the table and writes results/ (see the README).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canPin, childBundle, type Launcher, runChild } from '../lib/child-launcher.js';
import { runnerArgs } from '../lib/cli-options.js';
import { errorMessage, log } from '../lib/log.js';
import { rotate } from '../lib/rounds.js';
import { fusedisFrom, gitRevision, machineMeta } from '../lib/run-info.js';
import { helpOrRender, startChildren } from '../lib/runner-start.js';
import { middleSample } from '../lib/stats.js';
import { targetLines } from '../lib/targets.js';
import { buildPackages, runPnpmScript } from '../lib/workspace-build.js';
import { parseOptions, type RunOptions, USAGE } from './options.js';
import { type Cell, livePeers, planCells, taskFor, writeCaseData } from './plan.js';
import { inspectCells } from './profile.js';
import { loadRaw } from './render.js';
import { buildRows, consoleTable, evaluateTargets } from './report.js';
import type { TaskResult } from './task.js';
import { type Meta, writeReports, writeResults } from './write-results.js';

const CHILD = childBundle(join(import.meta.dirname, 'child.ts'), 'child.mjs');

/**
 * Builds @fusedis/resp's dist (its build script), so the children run the JS that ships, and the native peer's
 * TS entry (its addon is built by scripts/setup.sh or `turbo build`). False when resp fails.
 */
function buildDist(): boolean {
  const announce =
    'building @fusedis/resp (its build script: tsc, then one bundled file) so the children run the shipped JS…';
  if (!buildPackages('@fusedis/resp', announce, log)) return false;
  if (!runPnpmScript('@fusedis/native-codec', 'build:ts').ok)
    log('  @fusedis/native-codec did not build: the native peer will be missing');
  return true;
}

interface Probe {
  readonly resp: boolean;
  readonly entry: string;
  readonly error?: string;
}

/** Runs every round; returns how many child processes ran. */
async function measureAll(
  cells: readonly Cell[],
  options: RunOptions,
  how: Launcher,
  dataDir: string,
): Promise<number> {
  const perRound = cells.reduce((n, c) => n + livePeers(c).length, 0);
  let done = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (const cell of cells) {
      const live = livePeers(cell);
      for (const peer of rotate(live, round)) {
        const outcome = cell.outcomes.get(peer.id);
        if (outcome === undefined) continue;
        done++;
        const mode = cell.key.mode === undefined ? '' : ` ${cell.key.mode}`;
        const where = `[${round + 1}/${options.rounds} ${done}/${perRound * options.rounds}] ${cell.key.caseId}${mode} ${peer.id}`;
        try {
          const task = taskFor(cell, peer.id, options, round === 0, dataDir);
          const result = JSON.parse(await runChild(how, JSON.stringify(task))) as TaskResult;
          outcome.samples.push(...result.samples);
          if (result.check !== undefined) outcome.check = result.check;
          const median = middleSample(result.samples);
          const check =
            result.check === undefined
              ? ''
              : result.check.ok
                ? '  check ok'
                : `  CHECK FAILED: ${result.check.detail}`;
          log(`${where}: ${median.toFixed(2)} ms${check}`);
        } catch (err) {
          const message = errorMessage(err);
          outcome.errors.push(message);
          log(`${where}: FAILED ${message}`);
        }
      }
    }
  }
  return done;
}

async function main(): Promise<void> {
  const options = parseOptions(runnerArgs(), process.env);
  if (helpOrRender(options, USAGE, { load: loadRaw, table: consoleTable, write: writeReports })) return;
  const { how, probe } = await startChildren<Probe>(CHILD, {
    source: options.source,
    build: options.build ? buildDist : undefined,
    pinned: options.pin && canPin(),
  });
  const started = Date.now();
  const machine = machineMeta(started);
  const pinned = how.pinned ? 'pinned with taskset -c 1 (every child on CPU 1)' : 'not pinned';
  const fusedis = probe.resp
    ? fusedisFrom(how.source, probe.entry)
    : `NOT LOADED (${probe.error ?? 'unknown error'}): peers only`;
  log(`node ${process.version} (V8 ${process.versions.v8}) on ${machine.cpu}`);
  log(`children: a fresh process per peer × case × mode, --expose-gc, ${pinned}`);
  log(`fusedis: ${fusedis}`);
  log(`rounds: ${options.rounds}${options.quick ? ' (quick smoke run)' : ''}; peer order rotates each round`);

  const cells = planCells(options, probe.resp);
  const dataDir = mkdtempSync(join(tmpdir(), 'fusedis-bench-'));
  const cleanUp = (): void => rmSync(dataDir, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  let children: number;
  try {
    writeCaseData(cells, dataDir);
    if (options.profile || options.deopts) {
      await inspectCells(options.profile ? 'profile' : 'deopts', cells, options, how, dataDir, log);
      return;
    }
    children = await measureAll(cells, options, how, dataDir);
  } finally {
    cleanUp();
  }

  const rows = buildRows(cells.map((c) => ({ cell: c.key, outcomes: [...c.outcomes.values()] })));
  const targets = evaluateTargets(rows);
  const elapsedSeconds = Math.round((Date.now() - started) / 1000);
  log('');
  log(consoleTable(rows));
  log('');
  log('ratio = peer median / fusedis median (> 1 means fusedis is faster)');
  for (const line of targetLines(targets)) log(line.replace(/\*\*/g, ''));
  for (const r of rows) {
    if (r.outcome.check !== undefined && !r.outcome.check.ok) {
      log(`MISMATCH ${r.cell.caseId} ${r.cell.mode ?? ''} ${r.outcome.peer}: ${r.outcome.check.detail}`);
    }
  }
  log(`\n${children} child processes in ${elapsedSeconds} s`);
  const meta: Meta = {
    ...machine,
    pinned,
    fusedis,
    revision: gitRevision(['packages/resp'], 'with uncommitted changes in packages/resp'),
    rounds: options.rounds,
    iterations: options.iterations,
    elapsedSeconds,
    children,
  };
  const written = writeResults(meta, options, rows, targets);
  log(`wrote ${written.join(', ')}`);
  if (!options.full) log('(not a full default run: results/codec.md and codec.svg were left as they were)');
}

await main();
