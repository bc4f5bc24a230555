/**
 * TEST SUPPORT ONLY: cuts a RESP2/RESP3 byte stream into whole top-level frames, scanning each byte
 * once (resumable across chunks: the aggregate counts still open are kept between chunks). Bulk
 * bodies are skipped by length. Chunks are gathered in a buffer that doubles, so a reply of n bytes
 * costs O(n) copies, and a frame is handed out as a view that is never overwritten.
 */
const CR = 0x0d;

export class FrameSplitter {
  #buf: Buffer = Buffer.alloc(0);
  #len = 0; // bytes of #buf in use
  #start = 0; // where the current frame starts
  #pos = 0; // next header to scan
  readonly #open: number[] = []; // elements still expected by each open aggregate

  /** Adds bytes; calls `frame` for each frame that is now whole, in order. */
  feed(chunk: Buffer, frame: (bytes: Buffer) => void): void {
    this.#append(chunk);
    const b = this.#buf;
    const len = this.#len;
    for (;;) {
      const pos = this.#pos;
      if (pos >= len) break;
      // The header line: its type byte, then (for counts and lengths) a decimal, then CRLF.
      const type = b[pos] as number;
      let i = pos + 1;
      let negative = false;
      let n = 0;
      if (b[i] === 0x2d) {
        negative = true;
        i++;
      }
      while (i < len && b[i] !== CR) {
        n = n * 10 + ((b[i] as number) - 48);
        i++;
      }
      if (i + 1 >= len) break; // the line is not whole yet
      if (negative) n = -n;
      let next = i + 2;
      let children = 0;
      if (type === 0x2a || type === 0x3e || type === 0x7e)
        children = Math.max(n, 0); // * > ~
      else if (type === 0x25 || type === 0x7c)
        children = n < 0 ? 0 : 2 * n; // % |
      else if ((type === 0x24 || type === 0x3d || type === 0x21) && n >= 0) {
        // $ = ! : a body of n bytes and CRLF
        next += n + 2;
        if (next > len) break; // wait for the rest of the body
      }
      this.#pos = next;
      if (children > 0) {
        this.#open.push(children);
        continue;
      }
      // One element done: close every aggregate it completes.
      while (this.#open.length > 0) {
        const top = this.#open.length - 1;
        const left = (this.#open[top] as number) - 1;
        if (left > 0) {
          this.#open[top] = left;
          break;
        }
        this.#open.pop();
      }
      if (this.#open.length === 0) {
        frame(b.subarray(this.#start, next));
        this.#start = next;
      }
    }
    // Everything handed out: start the next frame in a fresh buffer rather than copy it down.
    if (this.#start === this.#len) {
      this.#buf = Buffer.alloc(0);
      this.#len = this.#start = this.#pos = 0;
    }
  }

  #append(chunk: Buffer): void {
    if (this.#len === 0) {
      this.#buf = chunk;
      this.#len = chunk.length;
      return;
    }
    const needed = this.#len - this.#start + chunk.length;
    if (this.#len + chunk.length > this.#buf.length || this.#buf.buffer === chunk.buffer) {
      // Frames already handed out keep the old buffer; the unfinished one moves to a new, bigger one.
      const next = Buffer.allocUnsafe(Math.max(needed * 2, 64 * 1024));
      next.set(this.#buf.subarray(this.#start, this.#len));
      this.#pos -= this.#start;
      this.#len -= this.#start;
      this.#start = 0;
      this.#buf = next;
    }
    this.#buf.set(chunk, this.#len); // TypedArray#set: no per-call checks of Buffer#copy
    this.#len += chunk.length;
  }
}
