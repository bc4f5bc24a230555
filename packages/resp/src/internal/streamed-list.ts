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
