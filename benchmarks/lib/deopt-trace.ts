/**
 * Reads `node --trace-deopt-verbose` output for deoptimizations of the code under test once the
 * timed passes have begun: after its warm-up a process should run its hot paths optimized, and
 * one that keeps deoptimizing them (a hidden class freed by a full GC between two passes, an
 * array begun with another elements kind) runs part of every pass unoptimized.
 */

/** Starts the line a child prints before each pass when asked to mark them (`markPass`). */
export const PASS_MARK = '@@pass';

/** Prints the marker of pass `pass` on stdout (children traced with `--deopts`). */
export function markPass(pass: number, timed: boolean): void {
  process.stdout.write(`${PASS_MARK} ${pass} ${timed ? 'timed' : 'warm-up'}\n`);
}

/** Prints the marker that ends the timed passes: what runs after them (closing) is not counted. */
export function markPassesEnd(): void {
  process.stdout.write(`${PASS_MARK} end after\n`);
}

/** The pass a marker line starts, or undefined for any other line. */
export function passOf(line: string): { pass: number; timed: boolean } | undefined {
  if (!line.startsWith(PASS_MARK)) return undefined;
  const [, pass, kind] = line.split(' ');
  return { pass: Number(pass), timed: kind === 'timed' };
}

/** One deoptimization seen during the timed passes. */
export interface Deopt {
  /** The pass it happened in. */
  readonly pass: number;
  /** V8's reason ("wrong map", "weak objects", "Insufficient type feedback for call"…). */
  readonly reason: string;
  /** The function whose optimized code was thrown away. */
  readonly fn: string;
  /** Where: the innermost source position V8 names (`file:line:col`), or '' when it names none. */
  readonly at: string;
}

const BAILOUT = /^\[bailout \(kind: [^,]+, reason: (.*?)\): begin\. deoptimizing \S+ <JSFunction ([^ >]*)/;
const MARKED =
  /^\[marking dependent code \S+ <Code \w+> \(\S+ <SharedFunctionInfo ?([^>]*)>\).*reason: (.*)\]$/;
const AT = /^\s*;;; deoptimize at <([^>]*)>/;

/**
 * Every deoptimization in the timed passes of a child's output (its passes marked by `markPass`,
 * their end by `markPassesEnd`). A bailout carries the innermost source position V8 names; code
 * only "marked" for deoptimization (its dependency died: "weak objects", "code dependencies")
 * carries none, and may be Node's own.
 */
export function timedDeopts(output: string): Deopt[] {
  const found: Deopt[] = [];
  let pass = -1;
  let timed = false;
  let open: { reason: string; fn: string } | undefined;
  for (const line of output.split('\n')) {
    const mark = passOf(line);
    if (mark !== undefined) {
      pass = mark.pass;
      timed = mark.timed;
      open = undefined;
      continue;
    }
    if (!timed) continue;
    const bailout = BAILOUT.exec(line);
    if (bailout !== null) {
      open = { reason: bailout[1] as string, fn: bailout[2] || '(anonymous)' };
      continue;
    }
    const at = AT.exec(line);
    if (at !== null && open !== undefined) {
      found.push({ pass, ...open, at: (at[1] as string).replace(/^file:\/\//, '') });
      open = undefined;
      continue;
    }
    const marked = MARKED.exec(line);
    if (marked !== null) {
      found.push({
        pass,
        reason: marked[2] as string,
        fn: (marked[1] as string).trim() || '(anonymous)',
        at: '',
      });
    }
  }
  return found;
}

/** One printable line per distinct deoptimization (same function, reason and place), with its passes. */
function distinct(deopts: readonly Deopt[]): string[] {
  const byKey = new Map<string, number[]>();
  for (const d of deopts) {
    const key = `${d.fn}: ${d.reason}${d.at === '' ? '' : ` at ${d.at.replace(/^.*\/packages\//, '')}`}`;
    byKey.set(key, [...(byKey.get(key) ?? []), d.pass]);
  }
  return [...byKey].map(([key, passes]) => `    ${key} (pass ${[...new Set(passes)].join(', ')})`);
}

/**
 * What a traced child deoptimized during its timed passes, as printable lines: those in the
 * workspace's `packages/` (the code under test) with their position, then the code only marked
 * for deoptimization (no position: it may be Node's own). "none" where there is nothing.
 */
export function deoptReport(what: string, output: string): string[] {
  const deopts = timedDeopts(output);
  const ours = deopts.filter((d) => d.at.includes('/packages/'));
  const marked = deopts.filter((d) => d.at === '');
  return [
    `${what}: deoptimized during the timed passes`,
    `  in packages/: ${ours.length === 0 ? 'none' : ''}`,
    ...distinct(ours),
    `  marked, no position (may be Node's own): ${marked.length === 0 ? 'none' : ''}`,
    ...distinct(marked),
  ];
}
