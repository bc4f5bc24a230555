/**
 * Counts complete top-level RESP2 replies in a byte stream without building any value: the raw
 * ceiling's whole "decoder". Resumable across chunks; a bulk body is skipped by its length, so a
 * 17 MB LRANGE reply costs one header scan per item and no copy. Also used by the seeder.
 */

const CR = 13;
const LF = 10;

export class ReplyCounter {
  /** Complete top-level replies seen so far. */
  count = 0;
  /** Error replies (`-…`) seen at top level or inside arrays. */
  errors = 0;
  readonly #onReply: () => void;
  /** Elements still expected by each open array, innermost last. */
  readonly #open: number[] = [];
  /** Bulk body bytes (+ CRLF) still to skip. */
  #skip = 0;
  /** A header line cut by a chunk boundary. */
  #carry: Buffer | undefined;

  constructor(onReply: () => void = () => {}) {
    this.#onReply = onReply;
  }

  feed(chunk: Buffer): void {
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      if (this.#skip > 0) {
        const take = Math.min(this.#skip, end - pos);
        this.#skip -= take;
        pos += take;
        if (this.#skip === 0) this.#done();
        continue;
      }
      const nl = chunk.indexOf(LF, pos);
      if (nl === -1) {
        const rest = chunk.subarray(pos);
        this.#carry = this.#carry === undefined ? Buffer.from(rest) : Buffer.concat([this.#carry, rest]);
        return;
      }
      let line: Buffer = chunk;
      let start = pos;
      let stop = nl;
      if (this.#carry !== undefined) {
        line = Buffer.concat([this.#carry, chunk.subarray(pos, nl + 1)]);
        this.#carry = undefined;
        start = 0;
        stop = line.length - 1;
      }
      pos = nl + 1;
      this.#header(line, start, stop);
    }
  }

  /** One header line: `line[start]` is the type byte, `line[stop]` the LF. */
  #header(line: Buffer, start: number, stop: number): void {
    const type = line[start];
    if (type === 0x24 /* $ */ || type === 0x2a /* * */) {
      let n = 0;
      let neg = false;
      for (let i = start + 1; i < stop; i++) {
        const b = line[i] as number;
        if (b === 0x2d) neg = true;
        else if (b !== CR) n = n * 10 + b - 0x30;
      }
      if (neg || n === 0) {
        // Null bulk, null array, empty array: a complete value. (An empty bulk still has its CRLF.)
        if (type === 0x24 && !neg) this.#skip = 2;
        else this.#done();
      } else if (type === 0x24) this.#skip = n + 2;
      else this.#open.push(n);
      return;
    }
    if (type === 0x2d /* - */) this.errors++;
    this.#done(); // + - : and anything else on one line
  }

  /** A value completed: close every array it completes, and count a top-level reply. */
  #done(): void {
    const open = this.#open;
    while (open.length > 0) {
      const last = open.length - 1;
      const left = (open[last] as number) - 1;
      if (left > 0) {
        open[last] = left;
        return;
      }
      open.pop();
    }
    this.count++;
    this.#onReply();
  }
}
