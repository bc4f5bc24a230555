/**
 * Turns the collected samples into rows (median, min–max, ratio to fusedis), the console table,
 * the markdown table, and the targets, each marked met or missed.
 */
import { type Summary, summarize } from '../lib/stats.js';
import { markdownTable as markdown, textTable } from '../lib/tables.js';
import type { Target } from '../lib/targets.js';
import type { FeedMode } from './cases.js';
import type { CaseId } from './options.js';
import type { CheckResult } from './task.js';

/** One table cell group: a case, and for decode cases a feeding mode. */
export interface CellKey {
  readonly kind: 'decode' | 'encode';
  readonly caseId: CaseId;
  readonly mode: FeedMode | undefined;
  readonly title: string;
  /** Values in the case, for the throughput column (decode cases only). */
  readonly values: number;
  /** Bytes of wire data, for the throughput of single-value cases (a4). */
  readonly bytes: number;
}

/** What was measured for one peer in one cell, or why not. */
export interface PeerOutcome {
  readonly peer: string;
  readonly label: string;
  /** Not applicable (RESP3 case on a RESP2 parser): shown as n/a, never faked. */
  readonly na?: string;
  readonly samples: number[];
  readonly check?: CheckResult;
  readonly errors: string[];
  /** Informational rows (frame scan, string-only encoders) are left out of the targets. */
  readonly reference: boolean;
}

export interface Row {
  readonly cell: CellKey;
  readonly outcome: PeerOutcome;
  readonly summary: Summary | undefined;
  /** Peer median / fusedis median: above 1 means fusedis is faster. */
  readonly ratio: number | undefined;
}

export function cellName(cell: CellKey): string {
  return cell.mode === undefined ? cell.caseId : `${cell.caseId} ${cell.mode}`;
}

/** Rows in table order, with ratios against each cell's fusedis row. */
export function buildRows(cells: readonly { cell: CellKey; outcomes: readonly PeerOutcome[] }[]): Row[] {
  const rows: Row[] = [];
  for (const { cell, outcomes } of cells) {
    const base = outcomes.find((o) => o.peer === 'fusedis');
    const baseMedian =
      base !== undefined && base.samples.length > 0 ? summarize(base.samples).median : undefined;
    for (const outcome of outcomes) {
      const summary = outcome.samples.length > 0 ? summarize(outcome.samples) : undefined;
      const ratio =
        summary !== undefined && baseMedian !== undefined ? summary.median / baseMedian : undefined;
      rows.push({ cell, outcome, summary, ratio });
    }
  }
  return rows;
}

const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

function cells(row: Row): string[] {
  const { outcome, summary, ratio, cell } = row;
  const verdict = outcome.check === undefined ? '' : outcome.check.ok ? 'ok' : 'MISMATCH';
  // A child that failed in some round leaves fewer samples; the row says so rather than hide it.
  const failed = outcome.errors.length > 0 ? `${outcome.errors.length} failed run(s)` : '';
  const check = [verdict, failed].filter((s) => s.length > 0).join(', ');
  if (outcome.na !== undefined)
    return [cellName(cell), outcome.label, 'n/a', 'n/a', 'n/a', 'n/a', outcome.na];
  if (summary === undefined) {
    return [cellName(cell), outcome.label, 'failed', '', '', '', outcome.errors[0]?.slice(0, 60) ?? ''];
  }
  // The frame scan builds no values and skips bulk bodies, so a rate would say nothing.
  let rate = '';
  if (cell.kind === 'decode' && outcome.peer !== 'frame-scan') {
    rate =
      cell.values > 1
        ? `${(cell.values / summary.median / 1000).toFixed(2)} M/s`
        : `${(cell.bytes / summary.median / 1e6).toFixed(2)} GB/s`;
  }
  return [
    cellName(cell),
    outcome.label,
    ms(summary.median),
    `${ms(summary.min)}–${ms(summary.max)}`,
    ratio === undefined ? '–' : ratio < 0.01 ? '<0.01×' : `${ratio.toFixed(2)}×`,
    rate,
    check,
  ];
}

const HEADER = ['case', 'peer', 'median ms', 'min–max ms', 'ratio', 'throughput', 'check'];
const numeric = (column: number): boolean => column >= 2 && column <= 5;

/** A plain-text table for the terminal. */
export function consoleTable(rows: readonly Row[]): string {
  return textTable(
    HEADER,
    rows.map(cells),
    rows.map((r) => cellName(r.cell)),
    numeric,
  );
}

/** The same table in markdown. */
export function markdownTable(rows: readonly Row[]): string {
  return markdown(HEADER, rows.map(cells), numeric);
}

const VALUE_PEERS_3X = ['ioredis', 'ioredis-str', 'node-redis'];

/** The targets of issue 2, evaluated on this run's medians. */
export function evaluateTargets(rows: readonly Row[]): Target[] {
  const measured = rows.filter((r) => r.ratio !== undefined);
  const ratioOf = (caseId: string, mode: FeedMode | undefined, peer: string): number | undefined =>
    measured.find((r) => r.cell.caseId === caseId && r.cell.mode === mode && r.outcome.peer === peer)?.ratio;
  const targets: Target[] = [];
  const rp: string[] = [];
  let rpMet: boolean | undefined;
  for (const caseId of ['a1', 'a2']) {
    for (const mode of ['whole', 'chunked'] as const) {
      const r = ratioOf(caseId, mode, 'redis-parser');
      if (r === undefined) continue;
      rp.push(`${caseId} ${mode} ${r.toFixed(2)}×`);
      rpMet = (rpMet ?? true) && r >= 1.5;
    }
  }
  targets.push({
    text: 'JS decoder ≥ 1.5× redis-parser on a1 and a2, both feeding modes',
    met: rpMet,
    detail: rp.join(', '),
  });

  const slow: string[] = [];
  let min3: { ratio: number; where: string } | undefined;
  let any3 = false;
  for (const r of measured) {
    if (r.cell.kind !== 'decode' || !VALUE_PEERS_3X.includes(r.outcome.peer)) continue;
    any3 = true;
    const ratio = r.ratio as number;
    if (min3 === undefined || ratio < min3.ratio)
      min3 = { ratio, where: `${cellName(r.cell)} vs ${r.outcome.peer}` };
    if (ratio < 3) slow.push(`${cellName(r.cell)} vs ${r.outcome.peer} ${ratio.toFixed(2)}×`);
  }
  targets.push({
    text: 'JS decoder ≥ 3× the ioredis 6 and @redis/client 6 decoders, every decode case',
    met: any3 ? slow.length === 0 : undefined,
    detail:
      slow.length > 0
        ? `below 3×: ${slow.join(', ')}`
        : min3 !== undefined
          ? `lowest ${min3.ratio.toFixed(2)}× (${min3.where})`
          : '',
  });

  const slower = measured.filter(
    (r) => !r.outcome.reference && r.outcome.peer !== 'fusedis' && (r.ratio as number) < 1,
  );
  targets.push({
    text: 'no case slower than any peer (value-building decoders, byte-producing encoders)',
    met: measured.some((r) => r.outcome.peer !== 'fusedis' && !r.outcome.reference)
      ? slower.length === 0
      : undefined,
    detail: slower
      .map((r) => `${cellName(r.cell)} vs ${r.outcome.peer} ${(r.ratio as number).toFixed(2)}×`)
      .join(', '),
  });

  const enc: string[] = [];
  let encMet: boolean | undefined;
  for (const caseId of ['e1', 'e2']) {
    const peers = measured.filter(
      (r) => r.cell.caseId === caseId && r.outcome.peer !== 'fusedis' && !r.outcome.reference,
    );
    if (peers.length === 0) continue;
    const fastest = Math.min(...peers.map((r) => r.ratio as number));
    enc.push(`${caseId} ${fastest.toFixed(2)}×`);
    encMet = (encMet ?? true) && fastest >= 1.5;
  }
  targets.push({
    text: 'encoder ≥ 1.5× the fastest peer encoder (bytes out)',
    met: encMet,
    detail: enc.join(', '),
  });
  return [...targets, ...nativeTargets(measured)];
}

/** Issue 6's decode targets: the native decoder against the JS one, and `auto` against the better of the two. */
function nativeTargets(measured: readonly Row[]): Target[] {
  const medianOf = (caseId: string, mode: FeedMode | undefined, peer: string): number | undefined =>
    measured.find((r) => r.cell.caseId === caseId && r.cell.mode === mode && r.outcome.peer === peer)?.summary
      ?.median;
  const speedUps = (caseIds: readonly string[], floor: number) => {
    const parts: string[] = [];
    let met: boolean | undefined;
    for (const caseId of caseIds) {
      for (const mode of ['whole', 'chunked'] as const) {
        const js = medianOf(caseId, mode, 'fusedis');
        const native = medianOf(caseId, mode, 'native');
        if (js === undefined || native === undefined) continue;
        parts.push(`${caseId} ${mode} ${(js / native).toFixed(2)}×`);
        met = (met ?? true) && js / native >= floor;
      }
    }
    return { met, detail: parts.join(', ') };
  };
  const structure = speedUps(['a2', 'a5'], 1.5);
  const plain = speedUps(['a1', 'a3', 'a4'], 1);
  const autoParts: string[] = [];
  let autoMet: boolean | undefined;
  for (const r of measured) {
    if (r.outcome.peer !== 'auto' || r.summary === undefined) continue;
    const js = medianOf(r.cell.caseId, r.cell.mode, 'fusedis');
    const native = medianOf(r.cell.caseId, r.cell.mode, 'native');
    if (js === undefined || native === undefined) continue;
    const over = r.summary.median / Math.min(js, native);
    autoParts.push(`${cellName(r.cell)} ${over.toFixed(2)}×`);
    autoMet = (autoMet ?? true) && over <= 1.05;
  }
  return [
    {
      text: '(issue 6) native ≥ 1.5× the JS decoder on a2 and a5 (JS median ÷ native median)',
      ...structure,
    },
    { text: '(issue 6) native never slower than the JS decoder on a1, a3, a4', ...plain },
    {
      text: '(issue 6) auto within 5% of the better of JS and native, every decode case (auto ÷ better)',
      met: autoMet,
      detail: autoParts.join(', '),
    },
  ];
}
