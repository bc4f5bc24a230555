/**
 * Writes results/: the raw samples as JSON, and for a full run (or `--render`) client.md and
 * client.svg. Also reads a raw JSON back for `--render`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CaseId, Iterations } from './cases.js';
import { PACKAGE_DIR, REPO_DIR } from './launcher.js';
import {
  buildRows,
  caseRatios,
  evaluateTargets,
  markdownTable,
  type Outcome,
  type Row,
  type Target,
  targetLines,
} from './report.js';
import { speedChart } from './svg-chart.js';

export const RESULTS_DIR = join(PACKAGE_DIR, 'results');

/** Where and how a run was measured; printed, and stored with the samples. */
export interface Meta {
  readonly date: string;
  readonly node: string;
  readonly v8: string;
  readonly cpu: string;
  readonly pinned: string;
  readonly server: string;
  readonly fusedis: string;
  readonly revision: string;
  readonly rounds: number;
  readonly iterations: Readonly<Record<CaseId, Iterations>>;
  readonly b7Ms: number;
  readonly rssMethod: string;
  /** 1-minute load average at the start and the end of the run (the machine is shared). */
  readonly load: readonly [number, number];
  readonly elapsedSeconds: number;
  readonly children: number;
  readonly quick: boolean;
  readonly full: boolean;
}

interface Raw {
  readonly meta: Meta;
  readonly cases: { caseId: CaseId; outcomes: Outcome[] }[];
}

export function rawJson(
  meta: Meta,
  cases: Raw['cases'],
  rows: readonly Row[],
  targets: readonly Target[],
): string {
  const summaries = rows.map((r) => ({
    case: r.info.id,
    peer: r.outcome.peer,
    summary: r.summary ?? null,
    vsRaw: r.vsRaw ?? null,
    fusedisOver: r.fusedisOver ?? null,
  }));
  return `${JSON.stringify({ meta, cases, summaries, targets }, null, 2)}\n`;
}

export function loadRaw(file: string): { meta: Meta; cases: Raw['cases']; rows: Row[]; targets: Target[] } {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Raw;
  const rows = buildRows(raw.cases);
  return { meta: raw.meta, cases: raw.cases, rows, targets: evaluateTargets(rows) };
}

function markdown(meta: Meta, rows: readonly Row[], targets: readonly Target[]): string {
  const it = Object.entries(meta.iterations)
    .map(([id, i]) => `${id} ${i.warmup} + ${i.measured}`)
    .join(', ');
  return [
    '# Client benchmark results (issue 3)',
    '',
    'Written by `pnpm --filter @fusedis/benchmarks bench:client` (benchmarks/client/run.ts); see',
    'benchmarks/README.md, section "Client (issue 3)", for the method.',
    '',
    `- date: ${meta.date}${meta.quick ? ' (quick smoke run)' : ''}${meta.full ? '' : ' (partial run)'}`,
    `- machine: ${meta.cpu}, node ${meta.node} (V8 ${meta.v8}); load average ${meta.load[0].toFixed(2)} at the start, ${meta.load[1].toFixed(2)} at the end`,
    `- server: ${meta.server}`,
    `- clients: one fresh process per peer × case per round, --expose-gc, ${meta.pinned}`,
    `- fusedis: ${meta.fusedis}`,
    `- revision: ${meta.revision}`,
    `- rounds: ${meta.rounds}, peer order rotated each round; warm-up + timed passes per child: ${it}; b7 window ${meta.b7Ms / 1000} s`,
    `- peak RSS (b4): growth of each child's first LRANGE over the RSS right before it, ${meta.rssMethod}`,
    `- run time: ${meta.elapsedSeconds} s, ${meta.children} child processes`,
    '',
    'median and min–max over every timed pass of every round. ops/s = commands per second at the',
    "median. vs raw = this peer's speed ÷ the raw-socket ceiling's. fusedis ÷ peer = fusedis's speed ÷",
    "this peer's (above 1: fusedis is faster).",
    '',
    markdownTable(rows),
    '',
    '## Ratios',
    '',
    ...caseRatios(rows),
    '',
    '## Targets (issue 3)',
    '',
    ...targetLines(targets),
    '',
    '![Speed as a fraction of the raw-socket ceiling](client.svg)',
    '',
  ].join('\n');
}

/** Writes client.md and client.svg; returns the paths written, relative to the package. */
export function writeReports(measured: Meta, rows: readonly Row[], targets: readonly Target[]): string[] {
  // Committed files name the entry point relative to the repository, not this machine's path.
  const meta = { ...measured, fusedis: measured.fusedis.replace(`${pathToFileURL(REPO_DIR).href}/`, '') };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const subtitle = `node ${meta.node}, ${meta.cpu}, ${meta.pinned}, ${meta.rounds} rounds, ${meta.date.slice(0, 10)}`;
  writeFileSync(join(RESULTS_DIR, 'client.svg'), speedChart(rows, subtitle));
  writeFileSync(join(RESULTS_DIR, 'client.md'), markdown(meta, rows, targets));
  return ['results/client.md', 'results/client.svg'];
}

/** Writes the raw JSON (always) and, for a full run, the reports; returns the paths written. */
export function writeResults(
  meta: Meta,
  cases: Raw['cases'],
  rows: readonly Row[],
  targets: readonly Target[],
): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const rawName = meta.full ? 'raw-client.json' : 'raw-client-partial.json';
  writeFileSync(join(RESULTS_DIR, rawName), rawJson(meta, cases, rows, targets));
  return meta.full ? [`results/${rawName}`, ...writeReports(meta, rows, targets)] : [`results/${rawName}`];
}
