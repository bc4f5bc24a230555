/** An issue's target, evaluated on one run's medians, and how the reports print it. */
export interface Target {
  readonly text: string;
  /** undefined when a row the target needs was not measured. */
  readonly met: boolean | undefined;
  readonly detail: string;
}

/** One markdown list item per target: `- text: **met** (detail)`. */
export function targetLines(targets: readonly Target[]): string[] {
  return targets.map((t) => {
    const mark = t.met === undefined ? 'not measured' : t.met ? 'met' : 'MISSED';
    return `- ${t.text}: **${mark}**${t.detail.length > 0 ? ` (${t.detail})` : ''}`;
  });
}
