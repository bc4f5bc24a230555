/**
 * The ratio chart as a hand-built SVG string: one group per case, one bar per peer, drawn on a
 * log scale out from the 1× line (right: fusedis is faster, left: the peer is faster).
 */
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

const WIDTH = 900;
const LABEL_X = 12;
const PLOT_LEFT = 230;
const PLOT_RIGHT = WIDTH - 60;
const BAR = 11;
const BAR_GAP = 3;
const GROUP_GAP = 14;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Bars stop at 1/16×: the frame scan skips a 64 MiB body in microseconds, and its label says so. */
const FLOOR = 1 / 16;

const fmt = (ratio: number): string =>
  ratio >= 10 ? ratio.toFixed(1) : ratio >= 0.01 ? ratio.toFixed(2) : '<0.01';

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

  const peers = [...new Set(shown.map((r) => r.outcome.peer))];
  const parts: string[] = [];
  let y = 28;
  parts.push(
    `<text x="${LABEL_X}" y="${y}" font-size="15" font-weight="bold">Peer median ÷ fusedis median (log scale; right of 1× = fusedis faster)</text>`,
  );
  y += 18;
  parts.push(`<text x="${LABEL_X}" y="${y}" font-size="11" fill="#555">${esc(subtitle)}</text>`);
  y += 14;
  // Legend, wrapped over as many lines as needed.
  let lx = LABEL_X;
  y += 12;
  for (const peer of peers) {
    const text = PEER_NAMES[peer] ?? peer;
    const w = 22 + text.length * 6.2;
    if (lx + w > WIDTH - 10) {
      lx = LABEL_X;
      y += 16;
    }
    parts.push(`<rect x="${lx}" y="${y - 9}" width="12" height="10" fill="${PEER_COLORS[peer] ?? '#444'}"/>`);
    parts.push(`<text x="${lx + 16}" y="${y}" font-size="11">${esc(text)}</text>`);
    lx += w;
  }
  y += 16;
  const top = y;

  const groups: { name: string; rows: Row[] }[] = [];
  for (const row of shown) {
    const name = cellName(row.cell);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.name === name) last.rows.push(row);
    else groups.push({ name, rows: [row] });
  }
  const bars: string[] = [];
  for (const group of groups) {
    const height = group.rows.length * (BAR + BAR_GAP) - BAR_GAP;
    const title = group.rows[0]?.cell.title ?? '';
    bars.push(
      `<text x="${LABEL_X}" y="${(y + height / 2 - 2).toFixed(1)}" font-size="12" font-weight="bold">${esc(group.name)}</text>`,
    );
    bars.push(
      `<text x="${LABEL_X}" y="${(y + height / 2 + 11).toFixed(1)}" font-size="9" fill="#555">${esc(shorten(title, 46))}</text>`,
    );
    for (const row of group.rows) {
      const color = PEER_COLORS[row.outcome.peer] ?? '#444';
      if (row.ratio === undefined) {
        bars.push(
          `<text x="${(x(1) + 4).toFixed(1)}" y="${y + BAR - 2}" font-size="10" fill="#777">n/a</text>`,
        );
      } else {
        const at = x(Math.max(FLOOR, row.ratio));
        const x0 = Math.min(x(1), at);
        const w = Math.max(1, Math.abs(at - x(1)));
        bars.push(
          `<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${color}"><title>${esc(`${group.name}, ${row.outcome.label}: ${fmt(row.ratio)}×`)}</title></rect>`,
        );
        const tx = row.ratio >= 1 ? at + 3 : at - 3;
        const anchor = row.ratio >= 1 ? 'start' : 'end';
        bars.push(
          `<text x="${tx.toFixed(1)}" y="${y + BAR - 2}" font-size="10" text-anchor="${anchor}">${esc(fmt(row.ratio))}×</text>`,
        );
      }
      y += BAR + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  const bottom = y;
  // Grid: a line per power of two, the 1× line darker.
  const grid: string[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 2) {
    const gx = x(t).toFixed(1);
    const strong = Math.abs(t - 1) < 1e-9;
    grid.push(
      `<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${bottom - GROUP_GAP + 4}" stroke="${strong ? '#000' : '#ddd'}" stroke-width="${strong ? 1.5 : 1}"/>`,
    );
    const label = t >= 1 ? `${t}×` : `1/${1 / t}×`;
    grid.push(
      `<text x="${gx}" y="${bottom - GROUP_GAP + 18}" font-size="11" text-anchor="middle">${label}</text>`,
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
