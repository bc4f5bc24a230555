/** Writes results/: raw samples as JSON, and for a full run the markdown table and the SVG chart. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from '../lib/paths.js';
import { chartSubtitle, rawResultsName, repoRelative, writeResult } from '../lib/results-files.js';
import type { RunMeta } from '../lib/run-info.js';
import { type Target, targetLines } from '../lib/targets.js';
import type { RunOptions } from './options.js';
import { markdownTable, type Row } from './report.js';
import { ratioChart } from './svg-chart.js';

const README = join(PACKAGE_DIR, 'README.md');
const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

/** Where and how a run was measured; printed, and stored with the samples. */
export interface Meta extends RunMeta {
  readonly iterations: RunOptions['iterations'];
}

function rawJson(meta: Meta, options: RunOptions, rows: readonly Row[], targets: readonly Target[]): string {
  const raw = {
    meta: { ...meta, quick: options.quick, full: options.full },
    rows: rows.map((r) => ({
      case: r.cell.caseId,
      mode: r.cell.mode ?? null,
      title: r.cell.title,
      peer: r.outcome.peer,
      label: r.outcome.label,
      reference: r.outcome.reference,
      na: r.outcome.na ?? null,
      samplesMs: r.outcome.samples,
      summary: r.summary ?? null,
      ratio: r.ratio ?? null,
      check: r.outcome.check ?? null,
      errors: r.outcome.errors,
    })),
    targets,
  };
  return `${JSON.stringify(raw, null, 2)}\n`;
}

/** The README's copy of the latest table, between its two marker comments. */
function readmeSection(meta: Meta, rows: readonly Row[], targets: readonly Target[]): string {
  return [
    `${meta.date.slice(0, 10)}, ${meta.cpu}, node ${meta.node}, ${meta.pinned}, ${meta.rounds} rounds,`,
    `fusedis from its ${meta.fusedis.startsWith('built') ? 'built dist' : 'TS sources'} (revision ${meta.revision}).`,
    'Full details and spot checks: [results/codec.md](results/codec.md).',
    '',
    markdownTable(rows),
    '',
    'Targets (issues 2 and 6):',
    '',
    ...targetLines(targets),
  ].join('\n');
}

function updateReadme(section: string): boolean {
  if (!existsSync(README)) return false;
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) return false;
  writeFileSync(README, `${text.slice(0, start + START.length)}\n${section}\n${text.slice(end)}`);
  return true;
}

function markdown(meta: Meta, rows: readonly Row[], targets: readonly Target[]): string {
  const checks = rows
    .filter((r) => r.outcome.check !== undefined)
    .map((r) => {
      const where = `${r.cell.caseId}${r.cell.mode === undefined ? '' : ` ${r.cell.mode}`}`;
      const check = r.outcome.check;
      return `- ${where}, ${r.outcome.label}: ${check?.ok ? 'ok' : '**MISMATCH**'}, ${check?.detail}`;
    });
  return [
    '# Codec benchmark results',
    '',
    'Written by `pnpm bench` (benchmarks/codec/run.ts); see benchmarks/README.md for the method.',
    '',
    `- date: ${meta.date}`,
    `- machine: ${meta.cpu}, node ${meta.node} (V8 ${meta.v8})`,
    `- children: one fresh process per peer × case × mode, --expose-gc, ${meta.pinned}`,
    `- fusedis: ${meta.fusedis}`,
    `- revision: ${meta.revision}`,
    `- rounds: ${meta.rounds}, peer order rotated each round; samples per row = rounds × measured iterations`,
    `- run time: ${meta.elapsedSeconds} s, ${meta.children} child processes`,
    '',
    'ratio = peer median / fusedis median (> 1 means fusedis is faster). throughput = values per second',
    '(M/s), or wire bytes per second (GB/s) for a4, at the median time.',
    '',
    markdownTable(rows),
    '',
    '## Targets (issues 2 and 6)',
    '',
    ...targetLines(targets),
    '',
    '## Spot checks (round 1, outside timing)',
    '',
    ...checks,
    '',
  ].join('\n');
}

/** Writes the results; returns the paths written, relative to the package. */
export function writeResults(
  meta: Meta,
  options: RunOptions,
  rows: readonly Row[],
  targets: readonly Target[],
): string[] {
  const raw = writeResult(rawResultsName('codec', options.full), rawJson(meta, options, rows, targets));
  return options.full ? [raw, ...writeReports(meta, rows, targets)] : [raw];
}

/** Writes codec.svg, codec.md and the README's results section; returns the paths written. */
export function writeReports(measured: Meta, rows: readonly Row[], targets: readonly Target[]): string[] {
  const meta = repoRelative(measured);
  const svg = writeResult('codec.svg', ratioChart(rows, chartSubtitle(meta)));
  const md = writeResult('codec.md', markdown(meta, rows, targets));
  const readme = updateReadme(readmeSection(meta, rows, targets)) ? ['README.md (latest results)'] : [];
  return [md, svg, ...readme];
}
