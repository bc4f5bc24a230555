/** The result tables, as plain text for the terminal and as markdown, from rows of cell strings. */

/** Which columns are numbers, right-aligned in both forms. */
export type RightAligned = (column: number) => boolean;

/**
 * Columns padded to their widest cell, two spaces apart, a dashed rule under the header, and a
 * blank line wherever `groups[i]` (the case of row i) changes.
 */
export function textTable(
  header: readonly string[],
  body: readonly (readonly string[])[],
  groups: readonly string[],
  right: RightAligned,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (right(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (let i = 0; i < body.length; i++) {
    if (i > 0 && groups[i] !== groups[i - 1]) out.push('');
    out.push(line(body[i] as string[]));
  }
  return out.join('\n');
}

/** The same table in markdown; numeric columns get `---:`. */
export function markdownTable(
  header: readonly string[],
  body: readonly (readonly string[])[],
  right: RightAligned,
): string {
  const out = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (right(i) ? '---:' : '---')).join('|')}|`,
  ];
  for (const cells of body) out.push(`| ${cells.join(' | ')} |`);
  return out.join('\n');
}
