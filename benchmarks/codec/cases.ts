/**
 * The cases of the codec benchmark. Decode cases: wire bytes built here by hand (never by the
 * encoder under test), the values every decoder must produce from them, and how many top-level
 * replies they hold. Encode cases: named here, built in encode-peers.ts.
 *
 * All text is ASCII, so every decoder may take its fastest string path; a UTF-8 case would measure
 * a different thing and is left to the micro-benchmarks.
 */

/** The id of a decode case. */
export type DecodeCaseId = 'a1' | 'a2' | 'a3' | 'a4' | 'a5';

/** How the bytes reach the decoder. */
export type FeedMode = 'whole' | 'chunked';

/** TCP payload of one Ethernet frame (1500 MTU − 40 bytes of IPv4 + TCP headers): the chunk size used. */
export const CHUNK_BYTES = 1460;

/** What one decode case is: its wire bytes and the replies they must decode to. */
export interface DecodeCase {
  readonly id: DecodeCaseId;
  /** One line for tables and the README. */
  readonly title: string;
  /** RESP3-only cases cannot run on RESP2 parsers (redis-parser). */
  readonly resp3: boolean;
  /** Top-level replies in the bytes. */
  readonly replies: number;
  /** Values (not bytes) in the case, for the values/s column. */
  readonly values: number;
  /** Wire bytes of the case. */
  readonly bytes: number;
  build(): Buffer;
  /** The top-level replies the bytes decode to, in order, as plain JS values. */
  expected(): unknown[];
}

const CRLF = '\r\n';

/** Writes ASCII wire text into one exact-size buffer, without intermediate concatenation. */
class WireWriter {
  readonly #buf: Buffer;
  #at = 0;

  constructor(size: number) {
    this.#buf = Buffer.allocUnsafe(size);
  }

  text(s: string): void {
    this.#at += this.#buf.write(s, this.#at, 'latin1');
  }

  bulk(s: string): void {
    this.text(`$${s.length}${CRLF}${s}${CRLF}`);
  }

  done(): Buffer {
    if (this.#at !== this.#buf.length)
      throw new Error(`wire size ${this.#at} != planned ${this.#buf.length}`);
    return this.#buf;
  }
}

/** Byte size of a bulk string header + body + CRLF for an ASCII string of `n` characters. */
function bulkSize(n: number): number {
  return 1 + String(n).length + 2 + n + 2;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** a1: ten-byte values, all distinct so no decoder profits from string interning. */
const A1_COUNT = 1_000_000;
const a1Value = (i: number): string => `v${pad(i, 9)}`;

/** a2: a realistic row: `:id`, a 12-byte key, a 20-byte value. */
const A2_ROWS = 100_000;
const a2Key = (i: number): string => `user:${pad(i, 7)}`;
const a2Value = (i: number): string => `name-${pad(i, 7)}-abcdefg`;

const A3_COUNT = 100_000;

/** a4: exactly 64 MiB of printable ASCII. */
const A4_BYTES = 64 * 1024 * 1024;

/** a5: a 12-byte field name and a 20-byte value per entry (an HGETALL-like map). */
const A5_ENTRIES = 100_000;
const a5Key = (i: number): string => `field:${pad(i, 6)}`;
const a5Value = (i: number): string => `value-${pad(i, 6)}-abcdefg`;

const A1_SIZE = 1 + String(A1_COUNT).length + 2 + A1_COUNT * bulkSize(10);
/** a2's and a5's keys and values have fixed lengths, so sizes need no string building. */
const KEY_BYTES = 12;
const VALUE_BYTES = 20;
const A2_SIZE = (() => {
  let size = 1 + String(A2_ROWS).length + 2;
  for (let id = 1; id <= A2_ROWS; id++)
    size += 4 + (1 + String(id).length + 2) + bulkSize(KEY_BYTES) + bulkSize(VALUE_BYTES);
  return size;
})();
const A3_SIZE = A3_COUNT * 5;
const A4_SIZE = bulkSize(A4_BYTES);
const A5_SIZE =
  1 + String(A5_ENTRIES).length + 2 + A5_ENTRIES * (bulkSize(KEY_BYTES) + bulkSize(VALUE_BYTES));

function a4Body(): Buffer {
  return Buffer.alloc(A4_BYTES, 'abcdefghijklmnopqrstuvwxyz', 'latin1');
}

export const DECODE_CASES: readonly DecodeCase[] = [
  {
    id: 'a1',
    title: 'array of 1,000,000 ten-byte bulk strings',
    resp3: false,
    replies: 1,
    values: A1_COUNT,
    bytes: A1_SIZE,
    build() {
      const w = new WireWriter(A1_SIZE);
      w.text(`*${A1_COUNT}${CRLF}`);
      for (let i = 0; i < A1_COUNT; i++) w.bulk(a1Value(i));
      return w.done();
    },
    expected() {
      const out = new Array<string>(A1_COUNT);
      for (let i = 0; i < A1_COUNT; i++) out[i] = a1Value(i);
      return [out];
    },
  },
  {
    id: 'a2',
    title: '100,000 rows of [int, 12-byte bulk, 20-byte bulk]',
    resp3: false,
    replies: 1,
    values: A2_ROWS * 3,
    bytes: A2_SIZE,
    build() {
      const w = new WireWriter(A2_SIZE);
      w.text(`*${A2_ROWS}${CRLF}`);
      for (let i = 0; i < A2_ROWS; i++) {
        w.text(`*3${CRLF}:${i + 1}${CRLF}`);
        w.bulk(a2Key(i));
        w.bulk(a2Value(i));
      }
      return w.done();
    },
    expected() {
      const rows = new Array<unknown[]>(A2_ROWS);
      for (let i = 0; i < A2_ROWS; i++) rows[i] = [i + 1, a2Key(i), a2Value(i)];
      return [rows];
    },
  },
  {
    id: 'a3',
    title: '100,000 +OK replies back to back',
    resp3: false,
    replies: A3_COUNT,
    values: A3_COUNT,
    bytes: A3_SIZE,
    build() {
      const w = new WireWriter(A3_SIZE);
      for (let i = 0; i < A3_COUNT; i++) w.text(`+OK${CRLF}`);
      return w.done();
    },
    expected() {
      return new Array<string>(A3_COUNT).fill('OK');
    },
  },
  {
    id: 'a4',
    title: 'one 64 MiB bulk string (ASCII)',
    resp3: false,
    replies: 1,
    values: 1,
    bytes: A4_SIZE,
    build() {
      const head = Buffer.from(`$${A4_BYTES}${CRLF}`, 'latin1');
      const out = Buffer.allocUnsafe(head.length + A4_BYTES + 2);
      head.copy(out, 0);
      a4Body().copy(out, head.length);
      out.write(CRLF, head.length + A4_BYTES, 'latin1');
      return out;
    },
    expected() {
      return [a4Body().toString('latin1')];
    },
  },
  {
    id: 'a5',
    title: 'RESP3 map of 100,000 entries (12-byte bulk key → 20-byte bulk value)',
    resp3: true,
    replies: 1,
    values: A5_ENTRIES * 2,
    bytes: A5_SIZE,
    build() {
      const w = new WireWriter(A5_SIZE);
      w.text(`%${A5_ENTRIES}${CRLF}`);
      for (let i = 0; i < A5_ENTRIES; i++) {
        w.bulk(a5Key(i));
        w.bulk(a5Value(i));
      }
      return w.done();
    },
    expected() {
      const map: Record<string, string> = Object.create(null);
      for (let i = 0; i < A5_ENTRIES; i++) map[a5Key(i)] = a5Value(i);
      return [map];
    },
  },
];

/** Looks a decode case up by id. */
export function decodeCase(id: string): DecodeCase {
  const found = DECODE_CASES.find((c) => c.id === id);
  if (found === undefined) throw new Error(`unknown decode case ${id}`);
  return found;
}

/** The bytes as fed: one buffer, or 1,460-byte views of it in order (split outside the timed region). */
export function feedChunks(bytes: Buffer, mode: FeedMode): Buffer[] {
  if (mode === 'whole') return [bytes];
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) chunks.push(bytes.subarray(at, at + CHUNK_BYTES));
  return chunks;
}

/** e1: one buffer per command (one write each); e2: all commands in one buffer (one write). */
export type EncodeCaseId = 'e1' | 'e2';

export interface EncodeCase {
  readonly id: EncodeCaseId;
  readonly title: string;
}

export const ENCODE_CASES: readonly EncodeCase[] = [
  { id: 'e1', title: '100,000 SET k v, one encode per command' },
  { id: 'e2', title: '100,000 SET k v as one pipeline' },
];
