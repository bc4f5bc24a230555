/**
 * The ratio chart: one group per case, one bar per peer, drawn on a log scale out from the 1×
 * line (right: fusedis is faster, left: the peer is faster).
 */
import { BAR_HEIGHT, CHART_WIDTH, type DrawBar, esc, groupedBarChart } from '../lib/svg-bars.js';
import { cellName, type Row } from './report.js';

const PEER_COLORS: Record<string, string> = {
  'redis-parser': '#d62728',
  ioredis: '#1f77b4',
  'ioredis-str': '#8fb8de',
  'node-redis': '#2ca02c',
  'node-redis-str': '#98df8a',
  'frame-scan': '#7f7f7f',
};

/** Legend names: one per peer, whether the peer decodes or encodes. */
const PEER_NAMES: Record<string, string> = {
  'redis-parser': 'redis-parser 3.0.0',
  ioredis: 'ioredis 6.0.0',
  'ioredis-str': 'ioredis 6.0.0, strings only',
  'node-redis': '@redis/client 6.3.1',
  'node-redis-str': '@redis/client 6.3.1, strings only',
  'frame-scan': 'frame scan only (no values)',
};

const PLOT_LEFT = 230;
const PLOT_RIGHT = CHART_WIDTH - 60;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Bars stop at 1/16×: the frame scan skips a 64 MiB body in microseconds, and its label says so. */
const FLOOR = 1 / 16;

const fmt = (ratio: number): string =>
  ratio >= 10 ? ratio.toFixed(1) : ratio >= 0.01 ? ratio.toFixed(2) : '<0.01';

const colorOf = (peer: string): string => PEER_COLORS[peer] ?? '#444';

/** The chart of every non-fusedis row that has a ratio (or is n/a); `subtitle` says where it was measured. */
export function ratioChart(rows: readonly Row[], subtitle: string): string {
  const shown = rows.filter(
    (r) => r.outcome.peer !== 'fusedis' && (r.ratio !== undefined || r.outcome.na !== undefined),
  );
  const ratios = shown.flatMap((r) => (r.ratio === undefined ? [] : [Math.max(FLOOR, r.ratio)]));
  const lo = 2 ** Math.min(-1, Math.floor(Math.log2(Math.min(1, ...ratios))));
  const hi = 2 ** Math.max(1, Math.ceil(Math.log2(Math.max(1, ...ratios))));
  const x = (ratio: number): number =>
    PLOT_LEFT +
    ((Math.log2(ratio) - Math.log2(lo)) / (Math.log2(hi) - Math.log2(lo))) * (PLOT_RIGHT - PLOT_LEFT);

  const bar =
    (group: string, row: Row): DrawBar =>
    (y) => {
      if (row.ratio === undefined)
        return [
          `<text x="${(x(1) + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 2}" font-size="10" fill="#777">n/a</text>`,
        ];
      const at = x(Math.max(FLOOR, row.ratio));
      const x0 = Math.min(x(1), at);
      const w = Math.max(1, Math.abs(at - x(1)));
      const tx = row.ratio >= 1 ? at + 3 : at - 3;
      const anchor = row.ratio >= 1 ? 'start' : 'end';
      return [
        `<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR_HEIGHT}" fill="${colorOf(row.outcome.peer)}"><title>${esc(`${group}, ${row.outcome.label}: ${fmt(row.ratio)}×`)}</title></rect>`,
        `<text x="${tx.toFixed(1)}" y="${y + BAR_HEIGHT - 2}" font-size="10" text-anchor="${anchor}">${esc(fmt(row.ratio))}×</text>`,
      ];
    };

  // Rows come in table order: consecutive rows of one cell form its group.
  const groups: { name: string; title: string; rows: Row[] }[] = [];
  for (const row of shown) {
    const name = cellName(row.cell);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.name === name) last.rows.push(row);
    else groups.push({ name, title: shorten(row.cell.title, 46), rows: [row] });
  }
  // Grid: a line per power of two, the 1× line darker.
  const grid = [];
  for (let t = lo; t <= hi * 1.0001; t *= 2) {
    grid.push({
      x: x(t).toFixed(1),
      label: t >= 1 ? `${t}×` : `1/${1 / t}×`,
      strong: Math.abs(t - 1) < 1e-9,
    });
  }
  return groupedBarChart({
    title: 'Peer median ÷ fusedis median (log scale; right of 1× = fusedis faster)',
    subtitle,
    legend: [...new Set(shown.map((r) => r.outcome.peer))].map((peer) => ({
      text: PEER_NAMES[peer] ?? peer,
      color: colorOf(peer),
    })),
    groups: groups.map((g) => ({ name: g.name, title: g.title, bars: g.rows.map((r) => bar(g.name, r)) })),
    grid,
  });
}
