/**
 * A grouped horizontal bar chart as a hand-built SVG string (no chart library): a title, a
 * subtitle, a wrapped legend, then one labelled group of bars per case over vertical grid lines.
 * The caller owns the scale: it draws each bar at the `y` it is given and places the grid lines.
 */

export const CHART_WIDTH = 900;
/** Height of one bar, in px; a bar's label baseline sits at `y + BAR_HEIGHT - 2`. */
export const BAR_HEIGHT = 11;
const LABEL_X = 12;
const BAR_GAP = 3;
const GROUP_GAP = 14;

/** Escapes text for an SVG text node or attribute. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface LegendEntry {
  readonly text: string;
  readonly color: string;
}

/** The SVG elements of one bar (and its value label) whose top edge is at `y`. */
export type DrawBar = (y: number) => readonly string[];

export interface BarGroup {
  /** Bold, left of the bars: the case. */
  readonly name: string;
  /** Small, under the name: what the case is (already cut to fit). */
  readonly title: string;
  readonly bars: readonly DrawBar[];
}

/** A vertical grid line at `x` (already formatted), labelled under the plot; `strong` for the 1× line. */
export interface GridLine {
  readonly x: string;
  readonly label: string;
  readonly strong: boolean;
}

export interface BarChart {
  readonly title: string;
  readonly subtitle: string;
  readonly legend: readonly LegendEntry[];
  readonly groups: readonly BarGroup[];
  readonly grid: readonly GridLine[];
}

export function groupedBarChart(chart: BarChart): string {
  const parts: string[] = [];
  let y = 28;
  parts.push(
    `<text x="${LABEL_X}" y="${y}" font-size="15" font-weight="bold">${esc(chart.title)}</text>`,
    `<text x="${LABEL_X}" y="${y + 18}" font-size="11" fill="#555">${esc(chart.subtitle)}</text>`,
  );
  y += 44;
  // Legend, wrapped over as many lines as needed.
  let lx = LABEL_X;
  for (const { text, color } of chart.legend) {
    const w = 22 + text.length * 6.2;
    if (lx + w > CHART_WIDTH - 10) {
      lx = LABEL_X;
      y += 16;
    }
    parts.push(`<rect x="${lx}" y="${y - 9}" width="12" height="10" fill="${color}"/>`);
    parts.push(`<text x="${lx + 16}" y="${y}" font-size="11">${esc(text)}</text>`);
    lx += w;
  }
  y += 16;
  const top = y;

  const bars: string[] = [];
  for (const group of chart.groups) {
    const height = group.bars.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
    bars.push(
      `<text x="${LABEL_X}" y="${(y + height / 2 - 2).toFixed(1)}" font-size="12" font-weight="bold">${esc(group.name)}</text>`,
      `<text x="${LABEL_X}" y="${(y + height / 2 + 11).toFixed(1)}" font-size="9" fill="#555">${esc(group.title)}</text>`,
    );
    for (const draw of group.bars) {
      bars.push(...draw(y));
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  const bottom = y - GROUP_GAP;

  const grid: string[] = [];
  for (const line of chart.grid) {
    grid.push(
      `<line x1="${line.x}" y1="${top - 4}" x2="${line.x}" y2="${bottom + 4}" stroke="${line.strong ? '#000' : '#ddd'}" stroke-width="${line.strong ? 1.5 : 1}"/>`,
      `<text x="${line.x}" y="${bottom + 18}" font-size="11" text-anchor="middle">${line.label}</text>`,
    );
  }
  const height = bottom + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${CHART_WIDTH}" height="${height}" fill="#fff"/>`,
    ...parts,
    ...grid,
    ...bars,
    '</svg>',
    '',
  ].join('\n');
}
