/**
 * The chart: one group per case, one bar per peer, each bar the peer's speed as a fraction of the
 * raw-socket ceiling (linear scale, the ceiling at 1×). It reads the same with or without fusedis
 * in the run.
 */
import { BAR_HEIGHT, CHART_WIDTH, type DrawBar, esc, groupedBarChart } from '../lib/svg-bars.js';
import type { Row } from './report.js';

const COLORS: Record<string, string> = {
  fusedis: '#ff7f0e',
  ioredis: '#1f77b4',
  'ioredis-auto': '#8fb8de',
  'node-redis': '#2ca02c',
  glide: '#9467bd',
  raw: '#7f7f7f',
  'raw-promises': '#bdbdbd',
};

const PLOT_LEFT = 250;
const PLOT_RIGHT = CHART_WIDTH - 70;

const colorOf = (peer: string): string => COLORS[peer] ?? '#444';

export function speedChart(rows: readonly Row[], subtitle: string): string {
  const shown = rows.filter((r) => r.outcome.peer !== 'raw');
  const hi = Math.max(1, ...shown.map((r) => r.vsRaw ?? 0));
  const x = (v: number): number => PLOT_LEFT + (v / hi) * (PLOT_RIGHT - PLOT_LEFT);

  const bar =
    (row: Row): DrawBar =>
    (y) => {
      if (row.vsRaw === undefined) {
        const why = row.outcome.na ?? (row.outcome.errors.length > 0 ? 'failed' : 'no ceiling to compare');
        return [
          `<text x="${x(0) + 4}" y="${y + BAR_HEIGHT - 2}" font-size="10" fill="#777">${esc(why.slice(0, 60))}</text>`,
        ];
      }
      const w = Math.max(1, x(row.vsRaw) - x(0));
      return [
        `<rect x="${x(0)}" y="${y}" width="${w.toFixed(1)}" height="${BAR_HEIGHT}" fill="${colorOf(row.outcome.peer)}"><title>${esc(`${row.info.id}, ${row.outcome.label}: ${row.vsRaw.toFixed(2)}× raw`)}</title></rect>`,
        `<text x="${(x(row.vsRaw) + 3).toFixed(1)}" y="${y + BAR_HEIGHT - 2}" font-size="10">${row.vsRaw.toFixed(2)}×</text>`,
      ];
    };

  const grid = [];
  for (let t = 0; t <= hi + 1e-9; t += hi > 2 ? 0.5 : 0.25) {
    grid.push({ x: x(t).toFixed(1), label: `${t}×`, strong: Math.abs(t - 1) < 1e-9 });
  }
  return groupedBarChart({
    title: 'Speed as a fraction of the raw-socket ceiling (1× = raw; longer is faster)',
    subtitle,
    legend: [...new Map(shown.map((r) => [r.outcome.peer, r.outcome.label]))].map(([peer, label]) => ({
      text: label,
      color: colorOf(peer),
    })),
    groups: [...new Set(shown.map((r) => r.info.id))].map((id) => {
      const group = shown.filter((r) => r.info.id === id);
      return { name: id, title: (group[0]?.info.title ?? '').slice(0, 48), bars: group.map(bar) };
    }),
    grid,
  });
}
