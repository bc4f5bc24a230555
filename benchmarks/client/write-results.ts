/**
 * Writes results/: the raw samples as JSON, and for a full run (or `--render`) client.md and
 * client.svg. Also reads a raw JSON back for `--render`.
 */
import { readFileSync } from 'node:fs';
import type { Iterations } from '../lib/cli-options.js';
import { chartSubtitle, rawResultsName, repoRelative, writeResult } from '../lib/results-files.js';
import type { RunMeta } from '../lib/run-info.js';
import { type Target, targetLines } from '../lib/targets.js';
import type { CaseId } from './cases.js';
import { buildRows, caseRatios, evaluateTargets, markdownTable, type Outcome, type Row } from './report.js';
import { speedChart } from './svg-chart.js';

/** Where and how a run was measured; printed, and stored with the samples. */
export interface Meta extends RunMeta {
  /** The redis-server the children talked to. */
  readonly server: string;
  readonly iterations: Readonly<Record<CaseId, Iterations>>;
  readonly b7Ms: number;
  readonly rssMethod: string;
  /** 1-minute load average at the start and the end of the run (the machine is shared). */
  readonly load: readonly [number, number];
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
  const meta = repoRelative(measured);
  const svg = writeResult('client.svg', speedChart(rows, chartSubtitle(meta)));
  const md = writeResult('client.md', markdown(meta, rows, targets));
  return [md, svg];
}

/** Writes the raw JSON (always) and, for a full run, the reports; returns the paths written. */
export function writeResults(
  meta: Meta,
  cases: Raw['cases'],
  rows: readonly Row[],
  targets: readonly Target[],
): string[] {
  const raw = writeResult(rawResultsName('client', meta.full), rawJson(meta, cases, rows, targets));
  return meta.full ? [raw, ...writeReports(meta, rows, targets)] : [raw];
}
