import type { StringMode } from '../decoder-contract.js';
import { SET } from './wire.js';

/**
 * A top-level list (`*`, `~`, `>`) decoded element by element while its bytes arrive, so a large
 * reply never sits whole in a gathering buffer next to the values built from it (peak memory), and
 * its whole elements are walked once, not scanned and then decoded. The JS decoder owns one at a time.
 */
export class StreamedList {
  /** The elements so far, `[0, filled)`; its length grows as bytes arrive. */
  readonly items: unknown[] = [];
  filled = 0;
  /** Bytes of the frame decoded and dropped so far (header included). */
  consumed: number;
  /** The element cut short is being scanned as it arrives (resumable), to be decoded once whole. */
  scanning = false;

  constructor(
    readonly type: number,
    readonly count: number,
    headerBytes: number,
    /** The string mode of its elements, decided when it began. */
    readonly mode: StringMode,
    /** Attribute maps met inside whole elements ('sink' mode), delivered before the list. */
    readonly attributes: unknown[] | undefined,
  ) {
    this.consumed = headerBytes;
  }

  get whole(): boolean {
    return this.filled === this.count;
  }

  /** The list as the caller wants it: a `~` set as a `Set` when asked. */
  value(sets: 'array' | 'set'): unknown {
    return this.type === SET && sets === 'set' ? new Set(this.items) : this.items;
  }
}

/**
 * One `StreamedList` alive for the process's life, its fields written as a streaming list writes
 * them. V8 frees a hidden class once no object has it and drops the optimized code that depends on
 * it: with a list per large reply, a full GC between two such replies deoptimized the streaming
 * path (`--trace-deopt`: "weak objects"), and it ran unoptimized until V8 recompiled it, every
 * time. Exported so it stays reachable: V8 may drop a module-level binding that nothing reads.
 */
export const KEPT_STREAMED_LIST_SHAPE = new StreamedList(SET, 1, 1, 'utf8', undefined);
KEPT_STREAMED_LIST_SHAPE.filled = 1;
KEPT_STREAMED_LIST_SHAPE.consumed = 2;
KEPT_STREAMED_LIST_SHAPE.scanning = true;
