/**
 * Turns samples into rows (median, min–max, rate, speed against the raw ceiling and fusedis
 * against each peer), the console and markdown tables, and issue 3's targets marked met or missed.
 */
import { type Summary, summarize } from '../lib/stats.js';
import { markdownTable as markdown, textTable } from '../lib/tables.js';
import type { Target } from '../lib/targets.js';
import { type CaseId, type CaseInfo, caseInfo } from './cases.js';
import { isFusedisPeer, isRawPeer, type PeerId } from './peers/bench-client.js';

/** What was measured for one peer on one case, or why not. */
export interface Outcome {
  readonly peer: PeerId;
  readonly label: string;
  /** Per timed pass: ms, or ops/s for b7. */
  readonly samples: number[];
  readonly p50Us: number[];
  readonly p99Us: number[];
  /** b4: RSS growth of each child's first LRANGE, MiB. */
  readonly rssMiB: number[];
  /** b4: each child's whole peak RSS during that LRANGE, MiB (absent from runs before it was kept). */
  readonly rssPeakMiB?: number[];
  /** b4: each child's V8 young generation size right before and right after that LRANGE, MiB. */
  readonly youngMiB?: readonly (readonly [before: number, after: number])[];
  readonly errors: string[];
  /** The protocol each child's connection spoke (`RESP3`…), as reported by the server. */
  readonly resp: string[];
  /** Not run, and why (e.g. @fusedis/client not ready): shown, never faked. */
  readonly na?: string;
}

export interface Row {
  readonly info: CaseInfo;
  readonly outcome: Outcome;
  readonly summary: Summary | undefined;
  /** Higher is better: 1 / median ms, or the median rate for b7 (only compared within a case). */
  readonly speed: number | undefined;
  /** This peer's speed ÷ the raw ceiling's. */
  readonly vsRaw: number | undefined;
  /** fusedis's speed ÷ this peer's: above 1 means fusedis is faster. */
  readonly fusedisOver: number | undefined;
  readonly p50: number | undefined;
  readonly p99: number | undefined;
  readonly rss: Summary | undefined;
  /** b4: the whole process's peak RSS (median over children), MiB. */
  readonly rssPeak: number | undefined;
  /** b4: the young generation's size before and after the LRANGE (medians over children), MiB. */
  readonly young: readonly [before: number, after: number] | undefined;
}

const median = (xs: readonly number[]): number | undefined =>
  xs.length === 0 ? undefined : summarize(xs).median;

/** Client libraries, not fusedis and not the ceiling: the peers the targets compare against. */
export const isLibraryPeer = (peer: PeerId): boolean => !isFusedisPeer(peer) && !isRawPeer(peer);

export function buildRows(cases: readonly { caseId: CaseId; outcomes: readonly Outcome[] }[]): Row[] {
  const rows: Row[] = [];
  for (const { caseId, outcomes } of cases) {
    const info = caseInfo(caseId);
    const speedOf = (o: Outcome | undefined): number | undefined => {
      const m = o === undefined ? undefined : median(o.samples);
      return m === undefined ? undefined : info.unit === 'ms' ? 1 / m : m;
    };
    const raw = speedOf(outcomes.find((o) => o.peer === 'raw'));
    const fusedis = speedOf(outcomes.find((o) => o.peer === 'fusedis'));
    for (const outcome of outcomes) {
      const speed = speedOf(outcome);
      rows.push({
        info,
        outcome,
        summary: outcome.samples.length > 0 ? summarize(outcome.samples) : undefined,
        speed,
        vsRaw: speed !== undefined && raw !== undefined ? speed / raw : undefined,
        fusedisOver: speed !== undefined && fusedis !== undefined ? fusedis / speed : undefined,
        p50: median(outcome.p50Us),
        p99: median(outcome.p99Us),
        rss: outcome.rssMiB.length > 0 ? summarize(outcome.rssMiB) : undefined,
        rssPeak: median(outcome.rssPeakMiB ?? []),
        young: youngMedians(outcome.youngMiB ?? []),
      });
    }
  }
  return rows;
}

function youngMedians(sizes: readonly (readonly [number, number])[]): readonly [number, number] | undefined {
  const before = median(sizes.map((s) => s[0]));
  const after = median(sizes.map((s) => s[1]));
  return before === undefined || after === undefined ? undefined : [before, after];
}

/** b4's memory context of a row: its whole peak RSS and the young generation before → after. */
function memoryNote(row: Row): string {
  const parts: string[] = [];
  if (row.rssPeak !== undefined) parts.push(`peak ${row.rssPeak.toFixed(0)} MiB in all`);
  if (row.young !== undefined)
    parts.push(`young gen ${row.young[0].toFixed(0)} → ${row.young[1].toFixed(0)} MiB`);
  return parts.join(', ');
}

const num = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const rate = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const times = (r: number | undefined): string => (r === undefined ? '–' : `${r.toFixed(2)}×`);

export const HEADER = [
  'case',
  'peer',
  'median',
  'min–max',
  'ops/s',
  'p50 / p99 µs',
  'peak RSS',
  'vs raw',
  'fusedis ÷ peer',
  'note',
];

function cells(row: Row): string[] {
  const { info, outcome, summary } = row;
  const failed =
    outcome.errors.length > 0 ? `${outcome.errors.length} failed: ${outcome.errors[0]?.slice(0, 80)}` : '';
  const resp = [...new Set(outcome.resp)].join('/');
  if (outcome.na !== undefined) return [info.id, outcome.label, 'n/a', '', '', '', '', '', '', outcome.na];
  if (summary === undefined) return [info.id, outcome.label, 'failed', '', '', '', '', '', '', failed];
  const unit = info.unit === 'ms' ? ' ms' : ' ops/s';
  const value = (n: number): string => (info.unit === 'ms' ? num(n) : rate(n));
  // Whole-command rates for the many-command cases; b4–b6 are one command each, their time says it.
  const opsPerSecond =
    info.unit === 'ops/s'
      ? rate(summary.median)
      : info.ops > 1
        ? rate((info.ops * 1000) / summary.median)
        : '';
  return [
    info.id,
    outcome.label,
    `${value(summary.median)}${unit}`,
    `${value(summary.min)}–${value(summary.max)}`,
    opsPerSecond,
    row.p50 !== undefined && row.p99 !== undefined ? `${num(row.p50)} / ${num(row.p99)}` : '',
    row.rss !== undefined ? `+${num(row.rss.median)} MiB (${num(row.rss.min)}–${num(row.rss.max)})` : '',
    times(row.vsRaw),
    outcome.peer === 'fusedis' ? '' : times(row.fusedisOver),
    [resp, memoryNote(row), failed].filter((x) => x.length > 0).join(', '),
  ];
}

const numeric = (column: number): boolean => column >= 2 && column <= 8;

/** A plain-text table for the terminal. */
export function consoleTable(rows: readonly Row[]): string {
  return textTable(
    HEADER,
    rows.map(cells),
    rows.map((r) => r.info.id),
    numeric,
  );
}

export function markdownTable(rows: readonly Row[]): string {
  return markdown(HEADER, rows.map(cells), numeric);
}

/** The best client library in a case (highest speed), fusedis and the ceiling left out. */
export function bestPeer(rows: readonly Row[], caseId: CaseId): Row | undefined {
  let best: Row | undefined;
  for (const r of rows) {
    if (r.info.id !== caseId || !isLibraryPeer(r.outcome.peer) || r.speed === undefined) continue;
    if (best === undefined || r.speed > (best.speed as number)) best = r;
  }
  return best;
}

/** Per case: fusedis ÷ the best peer and fusedis ÷ raw (the two ratios issue 3's targets use). */
export function caseRatios(rows: readonly Row[]): string[] {
  const lines: string[] = [];
  for (const id of [...new Set(rows.map((r) => r.info.id))]) {
    const best = bestPeer(rows, id);
    const fusedis = rows.find((r) => r.info.id === id && r.outcome.peer === 'fusedis');
    const raw = rows.find((r) => r.info.id === id && r.outcome.peer === 'raw');
    const bestText = best === undefined ? 'no peer measured' : `best peer ${best.outcome.label}`;
    if (fusedis?.speed === undefined) {
      lines.push(`- ${id}: fusedis not measured (${bestText})`);
      continue;
    }
    const vsBest = best === undefined ? '–' : times(best.fusedisOver);
    lines.push(
      `- ${id}: fusedis ÷ best peer **${vsBest}** (${bestText}); fusedis ÷ raw **${times(raw?.fusedisOver)}**`,
    );
  }
  return lines;
}

interface SpeedTarget {
  readonly cases: readonly CaseId[];
  readonly text: string;
  /** fusedis ÷ best peer must be at least this. */
  readonly minVsBest: number;
  /** fusedis ÷ raw must be at least this (1 / "within N× of the ceiling"). */
  readonly minVsRaw?: number;
}

const SPEED_TARGETS: readonly SpeedTarget[] = [
  {
    cases: ['b2', 'b3'],
    text: 'b2 and b3 ≥ 1.3× the best peer and within 1.5× of the raw-socket ceiling (fusedis ÷ raw ≥ 0.67×)',
    minVsBest: 1.3,
    minVsRaw: 1 / 1.5,
  },
  { cases: ['b4', 'b5', 'b6'], text: 'b4, b5, b6 ≥ 1.5× the best peer', minVsBest: 1.5 },
  {
    cases: ['b1', 'b7'],
    text: 'b1 and b7 no slower than the best peer (± 5 %: fusedis ÷ best ≥ 0.95×)',
    minVsBest: 0.95,
  },
];

/** Issue 3's targets on this run's medians; `met` is undefined when a needed row is missing. */
export function evaluateTargets(rows: readonly Row[]): Target[] {
  const targets: Target[] = [];
  for (const t of SPEED_TARGETS) {
    const parts: string[] = [];
    let met: boolean | undefined = true;
    for (const id of t.cases) {
      const fusedis = rows.find((r) => r.info.id === id && r.outcome.peer === 'fusedis');
      const best = bestPeer(rows, id);
      const raw = rows.find((r) => r.info.id === id && r.outcome.peer === 'raw');
      if (fusedis?.speed === undefined || best?.fusedisOver === undefined) {
        parts.push(`${id} not measured`);
        met = undefined;
        continue;
      }
      let ok = best.fusedisOver >= t.minVsBest;
      let text = `${id} ${times(best.fusedisOver)} vs ${best.outcome.label}`;
      if (t.minVsRaw !== undefined) {
        if (raw?.fusedisOver === undefined) {
          text += ', raw not measured';
          met = undefined;
        } else {
          ok = ok && raw.fusedisOver >= t.minVsRaw;
          text += `, ${times(raw.fusedisOver)} of raw`;
        }
        // Context, not part of the verdict: how near the ceiling a promise per command alone gets.
        const floor = rows.find((r) => r.info.id === id && r.outcome.peer === 'raw-promises');
        if (floor?.vsRaw !== undefined)
          text += ` (a promise per command alone: ${times(floor.vsRaw)} of raw)`;
      }
      if (met !== undefined) met = met && ok;
      parts.push(text);
    }
    targets.push({ text: t.text, met, detail: parts.join('; ') });
  }
  const fusedis = rows.find((r) => r.info.id === 'b4' && r.outcome.peer === 'fusedis');
  const fusedisRss = fusedis?.rss;
  const peerRss = rows.filter(
    (r) => r.info.id === 'b4' && isLibraryPeer(r.outcome.peer) && r.rss !== undefined,
  );
  const lowest = peerRss.sort((a, b) => (a.rss as Summary).median - (b.rss as Summary).median)[0];
  targets.push({
    text: 'peak RSS in b4 no higher than the best peer',
    met:
      fusedisRss === undefined || lowest === undefined
        ? undefined
        : fusedisRss.median <= (lowest.rss as Summary).median,
    detail:
      lowest === undefined
        ? 'no peer measured'
        : `fusedis ${fusedisRss === undefined ? 'not measured' : `+${num(fusedisRss.median)} MiB`}, lowest peer ${lowest.outcome.label} +${num((lowest.rss as Summary).median)} MiB${memoryContext(fusedis, lowest)}`,
  });
  return targets;
}

/**
 * Context for the RSS verdict, not part of it: both rows' whole peak and young generation (a
 * process that enters the LRANGE with its young generation still small grows it inside the pass).
 */
function memoryContext(fusedis: Row | undefined, peer: Row): string {
  const ours = fusedis === undefined ? '' : memoryNote(fusedis);
  const theirs = memoryNote(peer);
  if (ours === '' && theirs === '') return '';
  return ` (fusedis: ${ours || 'not measured'}; ${peer.outcome.label}: ${theirs || 'not measured'})`;
}
