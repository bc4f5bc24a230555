import type { StringMode } from '../decoder-contract.js';
import { SET } from './wire.js';

/**
 * A top-level list (`*`, `~`, `>`) decoded element by element while its bytes arrive, so a large
 * reply never sits whole in a gathering buffer next to the values built from it (peak memory), and
 * its whole elements are walked once, not scanned and then decoded. The JS decoder owns one at a time.
 */
export class StreamedList {
  /**
   * Keeps the hidden class alive (README, "Hidden classes kept alive"): with a list per large
   * reply, every full GC between two of them deoptimized the streaming path.
   */
  static readonly kept: StreamedList = writtenAsStreaming(new StreamedList(SET, 1, 1, 'utf8', undefined));

  /**
   * The elements so far, `[0, filled)`; its length grows as bytes arrive. Born holey and generic,
   * the kind every list ends in, so the code filling lists sees one array map: an empty `[]` first
   * cost a deopt per list ("wrong map"), recompiled during the first passes of each process.
   */
  readonly items: unknown[] = holeyGenericArray();
  filled = 0;
  /** Bytes of the frame decoded and dropped so far (header included). */
  consumed: number;
  /** The element cut short is being scanned as it arrives (resumable), to be decoded once whole. */
  scanning = false;
  /**
   * Bytes of the largest element so far. Elements that start at least this far before the end of
   * the bytes at hand are decoded straight away; the few after them are scanned first, so the
   * element cut short by a chunk's end is found without a throw (each costs ~1 µs).
   */
  largest = 0;

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
 * The kept list, its fields written as a streaming list writes them. (Made in the class body: its
 * name outside is not bound yet while static fields are set, once transpiled or bundled.)
 */
function writtenAsStreaming(list: StreamedList): StreamedList {
  list.filled = 1;
  list.consumed = 2;
  list.scanning = true;
  list.largest = 1;
  return list;
}

/** An empty array already of the holey, any-value kind (its map does not change as it fills). */
function holeyGenericArray(): unknown[] {
  const items = new Array<unknown>(1);
  items[0] = undefined;
  items.length = 0;
  return items;
}
