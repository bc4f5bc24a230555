/**
 * `pnpm bench`: the codec benchmark. Each peer runs each case in its own fresh child process
 * (pinned to CPU 1 when `taskset` is there), rounds interleave the peers, and the samples of all
 * rounds give the median and min–max. Prints the table and writes results/ (see the README).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, bundleChild, type Launcher, makeLauncher, REPO_DIR, runChild } from './launcher.js';
import { parseOptions, type RunOptions, USAGE } from './options.js';
import { type Cell, livePeers, type PeerInfo, planCells, taskFor, writeCaseData } from './plan.js';
import { profileCells } from './profile.js';
import { loadRaw } from './render.js';
import { buildRows, consoleTable, evaluateTargets, targetLines } from './report.js';
import type { TaskResult } from './task.js';
import { type Meta, writeReports, writeResults } from './write-results.js';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function gitRevision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'packages/resp'], {
    cwd: REPO_DIR,
    encoding: 'utf8',
  });
  const rev = head.status === 0 ? head.stdout.trim() : 'no commit yet';
  return (dirty.stdout ?? '').trim().length > 0 ? `${rev}, with uncommitted changes in packages/resp` : rev;
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
      // Rotate, so that no peer always runs first in its cell or right after the same neighbour.
      const order = live.map((_, i) => live[(i + round) % live.length] as PeerInfo);
      for (const peer of order) {
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
          const median = [...result.samples].sort((a, b) => a - b)[result.samples.length >> 1] ?? Number.NaN;
          const check =
            result.check === undefined
              ? ''
              : result.check.ok
                ? '  check ok'
                : `  CHECK FAILED: ${result.check.detail}`;
          log(`${where}: ${median.toFixed(2)} ms${check}`);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          outcome.errors.push(message);
          log(`${where}: FAILED ${message}`);
        }
      }
    }
  }
  return done;
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
  if (!source && options.build && !buildDist(log)) {
    log('  falling back to the TS sources (as with --source).');
    source = true;
  }
  await bundleChild();
  const how = makeLauncher(options.pin, source);
  const probe = JSON.parse(await runChild(how, 'probe')) as Probe;
  const started = Date.now();
  const cpu = `${cpus()[0]?.model ?? 'unknown CPU'} × ${availableParallelism()}`;
  const pinned = how.pinned ? 'pinned with taskset -c 1 (every child on CPU 1)' : 'not pinned';
  const fusedis = probe.resp
    ? `${source ? 'TS sources via tsx (--conditions=@fusedis/source)' : 'built dist (tsc)'}, ${probe.entry}`
    : `NOT LOADED (${probe.error ?? 'unknown error'}): peers only`;
  log(`node ${process.version} (V8 ${process.versions.v8}) on ${cpu}`);
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
    if (options.profile) {
      await profileCells(cells, options, how, dataDir, log);
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
    date: new Date(started).toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu,
    pinned,
    fusedis,
    revision: gitRevision(),
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
