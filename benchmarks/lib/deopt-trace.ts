/**
 * Reads `node --trace-deopt-verbose` output for deoptimizations of the code under test once the
 * timed passes have begun: after its warm-up a process should run its hot paths optimized, and
 * one that keeps deoptimizing them (a hidden class freed by a full GC between two passes, an
 * array begun with another elements kind) runs part of every pass unoptimized.
 */

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
 * Every deoptimization in the timed passes: `passOf(line)` gives the pass a marker line starts
 * (and whether it is timed), or undefined for any other line. A bailout carries the innermost
 * source position V8 names; code only "marked" for deoptimization (its dependency died: "weak
 * objects", "code dependencies") carries none, and may be Node's own.
 */
export function timedDeopts(
  output: string,
  passOf: (line: string) => { pass: number; timed: boolean } | undefined,
): Deopt[] {
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
