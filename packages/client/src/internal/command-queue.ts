import type { Command } from '@fusedis/resp';
import type { AnyCommandSpec } from '../command-spec.js';
import { asError } from './as-error.js';
import { encodingError } from './queued-methods.js';

/**
 * Entries per chunk of a {@link CommandQueue}, at most. Chunks are allocated at their size and
 * filled by index: one array grown by `push` to 400,000 entries (100,000 SETs) cost ~5.8 ms in
 * copies as it grew, chunks of this size ~0.5 ms. The first chunk is `FIRST_CHUNK` entries and
 * each next one four times the last, so a pipeline of a few commands allocates a few hundred
 * bytes, not 32 KiB.
 */
const CHUNK = 4096;
const FIRST_CHUNK = 16;

/** Before a command built when it was queued: the command, then its spec (or undefined). */
const BUILT = Symbol('built');
/** A command that could not be queued (its error is kept by the pipeline). */
const FAILED = Symbol('failed');

/**
 * A pipeline's queued commands, in order, in flat chunks rather than an object per command (a
 * 100,000-command pipeline is common). A command whose arguments can wait is its spec, its
 * argument count and its arguments, and is built only when the queue is walked; one built when
 * queued is `BUILT`, the command and its spec; one that failed is `FAILED`. An entry never
 * straddles two chunks.
 */
export class CommandQueue {
  /**
   * Made with its first chunk in it, so every queue's list of chunks holds arrays from the start:
   * begun empty, each new pipeline's first command met a list of another elements kind than the
   * optimized code knew, and deoptimized it (`--trace-deopt`: "wrong map", then "not a Smi").
   */
  readonly #chunks: unknown[][] = [new Array<unknown>(FIRST_CHUNK)];
  /** How many entries each full chunk holds (the last chunk's count is `#fill`). */
  readonly #used: number[] = [];
  #fill = 0;
  #count = 0;

  /** Commands queued. */
  get count(): number {
    return this.#count;
  }

  /** Queues a command to be built from `args` by `spec` when the queue is walked. */
  later(spec: AnyCommandSpec, args: IArguments): void {
    const argc = args.length;
    const chunk = this.#room(argc + 2);
    let at = this.#fill;
    chunk[at++] = spec;
    chunk[at++] = argc;
    for (let i = 0; i < argc; i++) chunk[at++] = args[i];
    this.#fill = at;
    this.#count++;
  }

  /** Queues a command already built (`spec` undefined: its reply is not transformed). */
  built(cmd: Command, spec: AnyCommandSpec | undefined): void {
    const chunk = this.#room(3);
    chunk[this.#fill] = BUILT;
    chunk[this.#fill + 1] = cmd;
    chunk[this.#fill + 2] = spec;
    this.#fill += 3;
    this.#count++;
  }

  /** Queues the place of a command that could not be built or queued. */
  failed(): void {
    const chunk = this.#room(1);
    chunk[this.#fill++] = FAILED;
    this.#count++;
  }

  /** A reader of the queued commands, in order, which builds those left to build as it reaches them. */
  read(): QueueReader {
    return new QueueReader(this.#chunks, this.#used, this.#fill);
  }

  /** The chunk with room for `slots` more entries from `#fill` on (a new one when the last is full). */
  #room(slots: number): unknown[] {
    const last = this.#chunks[this.#chunks.length - 1] as unknown[];
    if (this.#fill + slots <= last.length) return last;
    this.#used.push(this.#fill);
    const chunk = new Array<unknown>(Math.max(Math.min(CHUNK, 4 * last.length), slots));
    this.#chunks.push(chunk);
    this.#fill = 0;
    return chunk;
  }
}

/**
 * Walks a {@link CommandQueue}: each `next()` moves to the next command and fills the fields. A
 * reader object rather than a callback per command: a closure made per `exec()` cost a
 * deoptimization each time.
 */
export class QueueReader {
  /** The command's position in the queue. */
  index = -1;
  /** The command, ready to send; undefined when it failed, when queued or now (`error`). */
  cmd: Command | undefined = undefined;
  /** Whether the reader built it (its keys are not prefixed yet), rather than the queue holding it built. */
  late = false;
  /** Its spec, for the reply's transform (undefined for `call()`, scripts and failures). */
  spec: AnyCommandSpec | undefined = undefined;
  /** Why it is not sent, when its build was left to the reader: what the build or the encoder threw. */
  error: Error | undefined = undefined;
  readonly #chunks: unknown[][];
  /** How many entries each full chunk holds; the last one holds `#fill`. */
  readonly #used: number[];
  readonly #fill: number;
  #chunk = 0;
  #at = 0;

  /**
   * Keeps the hidden class alive (`@fusedis/resp` README, "Hidden classes kept alive"): a reader is
   * made per `exec()`, so none was alive across a full GC between two, and each `exec()`'s walk
   * began deoptimized (`--trace-deopt`: "Insufficient type feedback" in `next`).
   */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: held, never read: it keeps the class's hidden class alive
  static readonly #kept: QueueReader = new QueueReader([], [], 0);

  constructor(chunks: unknown[][], used: number[], fill: number) {
    this.#chunks = chunks;
    this.#used = used;
    this.#fill = fill;
  }

  /** Moves to the next command; false once there is none. */
  next(): boolean {
    let chunk = this.#chunks[this.#chunk];
    while (chunk !== undefined && this.#at >= this.#end()) {
      chunk = this.#chunks[++this.#chunk];
      this.#at = 0;
    }
    if (chunk === undefined) return false;
    this.index++;
    this.error = undefined;
    this.late = false;
    const at = this.#at;
    const head = chunk[at];
    if (head === FAILED) {
      this.cmd = undefined;
      this.spec = undefined;
      this.#at = at + 1;
    } else if (head === BUILT) {
      this.cmd = chunk[at + 1] as Command;
      this.spec = chunk[at + 2] as AnyCommandSpec | undefined;
      this.#at = at + 3;
    } else {
      const spec = head as AnyCommandSpec;
      const argc = chunk[at + 1] as number;
      this.#at = at + 2 + argc;
      this.spec = spec;
      this.late = true;
      try {
        this.cmd = build(spec, chunk, at + 2, argc);
        // Plain arguments in, but a build may still add one the encoder refuses (a missing value).
        this.error = encodingError(this.cmd.args);
      } catch (err) {
        this.error = asError(err);
      }
      if (this.error !== undefined) this.cmd = undefined;
    }
    return true;
  }

  /** How many entries the current chunk holds. */
  #end(): number {
    return this.#chunk < this.#used.length ? (this.#used[this.#chunk] as number) : this.#fill;
  }
}

/** Builds a queued command from its `argc` arguments at `chunk[at…]`, with exactly that many arguments. */
function build(spec: AnyCommandSpec, chunk: unknown[], at: number, argc: number): Command {
  const make = spec.build as (...args: unknown[]) => Command;
  switch (argc) {
    case 0:
      return make();
    case 1:
      return make(chunk[at]);
    case 2:
      return make(chunk[at], chunk[at + 1]);
    case 3:
      return make(chunk[at], chunk[at + 1], chunk[at + 2]);
    default:
      return make(...chunk.slice(at, at + argc));
  }
}
