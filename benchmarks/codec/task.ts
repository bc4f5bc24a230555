import type { Iterations } from '../lib/cli-options.js';
import type { DecodeCaseId, EncodeCaseId, FeedMode } from './cases.js';
import type { DecodePeerId } from './decode-peers.js';
import type { EncodePeerId } from './encode-peers.js';

/** One child process's job: one peer on one case (and feeding mode). */
export type Task = Iterations & {
  readonly check: boolean;
  /** Print a marker line before each pass (`markPass` in lib/deopt-trace.ts; `--deopts` reads them). */
  readonly markPasses?: boolean;
} & (
    | {
        readonly kind: 'decode';
        readonly caseId: DecodeCaseId;
        readonly mode: FeedMode;
        readonly peer: DecodePeerId;
        /** The case's wire bytes, written once by the runner so every child reads identical input fast. */
        readonly dataFile: string;
      }
    | { readonly kind: 'encode'; readonly caseId: EncodeCaseId; readonly peer: EncodePeerId }
  );

/** The spot check's verdict: the decoded values (or encoded bytes) against the expected ones. */
export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** What a child prints as its last stdout line, as JSON. */
export interface TaskResult {
  /** Milliseconds per timed iteration. */
  readonly samples: number[];
  readonly check?: CheckResult;
}
