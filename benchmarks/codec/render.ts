/**
 * `--render results/raw-codec.json`: rebuilds codec.md, codec.svg and the README's table from the
 * raw samples of an earlier run, without measuring again (for a changed chart or table layout).
 */
import { readFileSync } from 'node:fs';
import { DECODE_CASES } from './cases.js';
import type { CaseId } from './options.js';
import { buildRows, type CellKey, evaluateTargets, type PeerOutcome } from './report.js';
import type { CheckResult } from './task.js';
import type { Meta } from './write-results.js';

/** One row as raw-codec.json stores it. */
export interface RawRow {
  readonly case: CaseId;
  readonly mode: 'whole' | 'chunked' | null;
  readonly title: string;
  readonly peer: string;
  readonly label: string;
  readonly reference: boolean;
  readonly na: string | null;
  readonly samplesMs: number[];
  readonly check: CheckResult | null;
  readonly errors: string[];
}

export function loadRaw(file: string): {
  meta: Meta;
  rows: ReturnType<typeof buildRows>;
  targets: ReturnType<typeof evaluateTargets>;
} {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { meta: Meta; rows: RawRow[] };
  const cells: { cell: CellKey; outcomes: PeerOutcome[] }[] = [];
  for (const r of raw.rows) {
    const decode = DECODE_CASES.find((c) => c.id === r.case);
    const mode = r.mode ?? undefined;
    let group = cells.find((c) => c.cell.caseId === r.case && c.cell.mode === mode);
    if (group === undefined) {
      const cell: CellKey = {
        kind: decode === undefined ? 'encode' : 'decode',
        caseId: r.case,
        mode,
        title: r.title,
        values: decode?.values ?? 0,
        bytes: decode?.bytes ?? 0,
      };
      group = { cell, outcomes: [] };
      cells.push(group);
    }
    group.outcomes.push({
      peer: r.peer,
      label: r.label,
      reference: r.reference,
      samples: r.samplesMs,
      errors: r.errors,
      ...(r.na === null ? {} : { na: r.na }),
      ...(r.check === null ? {} : { check: r.check }),
    });
  }
  const rows = buildRows(cells);
  return { meta: raw.meta, rows, targets: evaluateTargets(rows) };
}
