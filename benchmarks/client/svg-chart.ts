/**
 * The chart as a hand-built SVG string: one group per case, one bar per peer, each bar the peer's
 * speed as a fraction of the raw-socket ceiling (linear scale, the ceiling at 1×). It reads the
 * same with or without fusedis in the run.
 */
import type { Row } from './report.js';

const COLORS: Record<string, string> = {
  fusedis: '#ff7f0e',
  ioredis: '#1f77b4',
  'ioredis-auto': '#8fb8de',
  'node-redis': '#2ca02c',
  glide: '#9467bd',
  raw: '#7f7f7f',
};

const WIDTH = 900;
const LABEL_X = 12;
const PLOT_LEFT = 250;
const PLOT_RIGHT = WIDTH - 70;
const BAR = 11;
const BAR_GAP = 3;
const GROUP_GAP = 14;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function speedChart(rows: readonly Row[], subtitle: string): string {
  const shown = rows.filter((r) => r.outcome.peer !== 'raw');
  const hi = Math.max(1, ...shown.map((r) => r.vsRaw ?? 0));
  const x = (v: number): number => PLOT_LEFT + (v / hi) * (PLOT_RIGHT - PLOT_LEFT);
  const parts: string[] = [];
  let y = 28;
  parts.push(
    `<text x="${LABEL_X}" y="${y}" font-size="15" font-weight="bold">Speed as a fraction of the raw-socket ceiling (1× = raw; longer is faster)</text>`,
  );
  y += 18;
  parts.push(`<text x="${LABEL_X}" y="${y}" font-size="11" fill="#555">${esc(subtitle)}</text>`);
  y += 26;
  let lx = LABEL_X;
  for (const [peer, label] of new Map(shown.map((r) => [r.outcome.peer, r.outcome.label]))) {
    const w = 22 + label.length * 6.2;
    if (lx + w > WIDTH - 10) {
      lx = LABEL_X;
      y += 16;
    }
    parts.push(`<rect x="${lx}" y="${y - 9}" width="12" height="10" fill="${COLORS[peer] ?? '#444'}"/>`);
    parts.push(`<text x="${lx + 16}" y="${y}" font-size="11">${esc(label)}</text>`);
    lx += w;
  }
  y += 16;
  const top = y;
  const bars: string[] = [];
  for (const id of [...new Set(shown.map((r) => r.info.id))]) {
    const group = shown.filter((r) => r.info.id === id);
    const height = group.length * (BAR + BAR_GAP) - BAR_GAP;
    const title = group[0]?.info.title ?? '';
    bars.push(
      `<text x="${LABEL_X}" y="${(y + height / 2 - 2).toFixed(1)}" font-size="12" font-weight="bold">${esc(id)}</text>`,
      `<text x="${LABEL_X}" y="${(y + height / 2 + 11).toFixed(1)}" font-size="9" fill="#555">${esc(title.slice(0, 48))}</text>`,
    );
    for (const row of group) {
      if (row.vsRaw === undefined) {
        const why = row.outcome.na ?? (row.outcome.errors.length > 0 ? 'failed' : 'no ceiling to compare');
        bars.push(
          `<text x="${x(0) + 4}" y="${y + BAR - 2}" font-size="10" fill="#777">${esc(why.slice(0, 60))}</text>`,
        );
      } else {
        const w = Math.max(1, x(row.vsRaw) - x(0));
        bars.push(
          `<rect x="${x(0)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${COLORS[row.outcome.peer] ?? '#444'}"><title>${esc(`${id}, ${row.outcome.label}: ${row.vsRaw.toFixed(2)}× raw`)}</title></rect>`,
          `<text x="${(x(row.vsRaw) + 3).toFixed(1)}" y="${y + BAR - 2}" font-size="10">${row.vsRaw.toFixed(2)}×</text>`,
        );
      }
      y += BAR + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  const bottom = y;
  const grid: string[] = [];
  for (let t = 0; t <= hi + 1e-9; t += hi > 2 ? 0.5 : 0.25) {
    const gx = x(t).toFixed(1);
    const strong = Math.abs(t - 1) < 1e-9;
    grid.push(
      `<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${bottom - GROUP_GAP + 4}" stroke="${strong ? '#000' : '#ddd'}" stroke-width="${strong ? 1.5 : 1}"/>`,
      `<text x="${gx}" y="${bottom - GROUP_GAP + 18}" font-size="11" text-anchor="middle">${t}×</text>`,
    );
  }
  const height = bottom - GROUP_GAP + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...parts,
    ...grid,
    ...bars,
    '</svg>',
    '',
  ].join('\n');
}
