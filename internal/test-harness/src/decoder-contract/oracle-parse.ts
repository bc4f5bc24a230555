import { type RespLimits, RespProtocolError, type RespProtocolErrorReason } from '@fusedis/resp';
import type { RespEntry, RespNode } from './resp-node.js';

/*
 * The oracle's first pass: bytes → `RespNode` tree. Deliberately plain (recursive descent over
 * latin1 text with regular expressions), written apart from the fast decoder so the two can
 * check each other. Speed does not matter here; being obviously right does.
 *
 * Grammar decisions (the contract the fast decoder and `frameLength` follow too):
 * - A line ends at the first CR or LF, and must end in CR LF: an LF first, or a CR followed by
 *   anything but LF, is 'expected-crlf'; a line whose end has not arrived (a trailing lone CR
 *   included) is incomplete.
 * - A length is `-1` (bulk `$` and array `*` only), `?` ('unsupported-streamed') or 1 to 15
 *   decimal digits; anything else is 'invalid-length'.
 * - Checks run in wire order, left to right; within an aggregate header: length grammar, then
 *   maxElements, then maxDepth; within a bulk: length grammar, maxReplyBytes, body + CRLF
 *   (both bytes must have arrived), then the verbatim prefix.
 * - An attribute opens one nesting level for its entries; the value it annotates sits at the
 *   attribute's own level.
 */

/** Returned when the bytes end before the frame does. */
export const INCOMPLETE: unique symbol = Symbol('incomplete');

/** A whole frame read from the wire. */
export interface ParsedFrame {
  readonly node: RespNode;
  /** Offset just past the frame. */
  readonly end: number;
}

const LENGTH = /^(?:-1|\?|[0-9]{1,15})$/;
const SIGNED_DECIMAL = /^[+-]?[0-9]+$/;
const DOUBLE = /^[+-]?(?:[iI][nN][fF]|[nN][aA][nN]|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$/;

/** Internal signal for "the bytes ran out": unwound to `INCOMPLETE` by `parseFrame`. */
class Incomplete {}
const incomplete = new Incomplete();

class Parser {
  readonly #buf: Buffer;
  readonly #frameStart: number;
  readonly #limits: RespLimits;

  constructor(buf: Buffer, frameStart: number, limits: RespLimits) {
    this.#buf = buf;
    this.#frameStart = frameStart;
    this.#limits = limits;
  }

  fail(reason: RespProtocolErrorReason, at: number, detail: string): never {
    throw new RespProtocolError(reason, `oracle: ${detail}`, at - this.#frameStart);
  }

  /** Reads the line after the type byte at `at`: its text and the offset after its CRLF. */
  line(at: number): { text: string; next: number } {
    const buf = this.#buf;
    for (let i = at + 1; i < buf.length; i++) {
      const c = buf[i];
      if (c === 0x0a) this.fail('expected-crlf', i, 'LF without CR');
      if (c === 0x0d) {
        if (i + 1 >= buf.length) throw incomplete;
        if (buf[i + 1] !== 0x0a) this.fail('expected-crlf', i, 'CR without LF');
        return { text: buf.toString('latin1', at + 1, i), next: i + 2 };
      }
    }
    throw incomplete;
  }

  /** A length header: -1 for null (when allowed), otherwise the count. */
  length(at: number, text: string, nullable: boolean): number {
    if (!LENGTH.test(text)) this.fail('invalid-length', at, `length ${JSON.stringify(text)}`);
    if (text === '?') this.fail('unsupported-streamed', at, 'streamed length');
    if (text === '-1' && !nullable) this.fail('invalid-length', at, 'null length on a type that has none');
    return Number(text);
  }

  value(at: number, depth: number): ParsedFrame {
    const buf = this.#buf;
    if (at >= buf.length) throw incomplete;
    const type = String.fromCharCode(buf[at] as number);
    if (!'+-:$*_#,(!=%~|>'.includes(type)) this.fail('invalid-type', at, `type byte ${buf[at]}`);
    const { text, next } = this.line(at);
    switch (type) {
      case '+':
        return { node: { type: 'simple-string', bytes: copy(buf, at + 1, next - 2) }, end: next };
      case '-':
        return { node: { type: 'simple-error', bytes: copy(buf, at + 1, next - 2) }, end: next };
      case ':':
        if (!SIGNED_DECIMAL.test(text)) this.fail('invalid-integer', at, 'integer');
        return { node: { type: 'integer', text }, end: next };
      case '_':
        if (text !== '') this.fail('expected-crlf', at + 1, 'null with content');
        return { node: { type: 'null', wire: '_' }, end: next };
      case '#':
        if (text !== 't' && text !== 'f') this.fail('invalid-boolean', at, 'boolean');
        return { node: { type: 'boolean', value: text === 't' }, end: next };
      case ',':
        if (!DOUBLE.test(text)) this.fail('invalid-double', at, 'double');
        return { node: { type: 'double', text }, end: next };
      case '(':
        if (text.length > this.#limits.maxBigNumberLength) this.fail('big-number-too-long', at, 'big number');
        if (!SIGNED_DECIMAL.test(text)) this.fail('invalid-big-number', at, 'big number');
        return { node: { type: 'big-number', text }, end: next };
      case '$':
      case '!':
      case '=':
        return this.bulk(type, at, text, next);
      default:
        return this.aggregate(type, at, text, next, depth);
    }
  }

  bulk(type: string, at: number, text: string, next: number): ParsedFrame {
    const buf = this.#buf;
    const length = this.length(at, text, type === '$');
    if (length === -1) return { node: { type: 'null', wire: '$-1' }, end: next };
    if (length > this.#limits.maxReplyBytes) this.fail('reply-too-large', at, 'bulk length');
    const bodyEnd = next + length;
    if (bodyEnd + 2 > buf.length) throw incomplete;
    if (buf[bodyEnd] !== 0x0d || buf[bodyEnd + 1] !== 0x0a)
      this.fail('expected-crlf', bodyEnd, 'after bulk body');
    const end = bodyEnd + 2;
    if (type === '$') return { node: { type: 'bulk-string', bytes: copy(buf, next, bodyEnd) }, end };
    if (type === '!') return { node: { type: 'bulk-error', bytes: copy(buf, next, bodyEnd) }, end };
    if (length < 4 || buf[next + 3] !== 0x3a) this.fail('invalid-verbatim', next, 'verbatim prefix');
    return {
      node: { type: 'verbatim', format: copy(buf, next, next + 3), bytes: copy(buf, next + 4, bodyEnd) },
      end,
    };
  }

  aggregate(type: string, at: number, text: string, next: number, depth: number): ParsedFrame {
    const count = this.length(at, text, type === '*');
    if (count === -1) return { node: { type: 'null', wire: '*-1' }, end: next };
    if (count > this.#limits.maxElements) this.fail('too-many-elements', at, 'count');
    if (depth + 1 > this.#limits.maxDepth) this.fail('too-deep', at, 'depth');
    let pos = next;
    if (type === '%' || type === '|') {
      const entries: RespEntry[] = [];
      for (let i = 0; i < count; i++) {
        const key = this.value(pos, depth + 1);
        const value = this.value(key.end, depth + 1);
        entries.push([key.node, value.node]);
        pos = value.end;
      }
      if (type === '%') return { node: { type: 'map', entries }, end: pos };
      const annotated = this.value(pos, depth);
      return { node: { type: 'attribute', entries, value: annotated.node }, end: annotated.end };
    }
    const items: RespNode[] = [];
    for (let i = 0; i < count; i++) {
      const item = this.value(pos, depth + 1);
      items.push(item.node);
      pos = item.end;
    }
    return { node: { type: type === '*' ? 'array' : type === '~' ? 'set' : 'push', items }, end: pos };
  }
}

function copy(buf: Buffer, from: number, to: number): Buffer {
  return Buffer.from(buf.subarray(from, to));
}

/**
 * Reads one frame from `buf` at `start`. Returns the tree and where it ends, or `INCOMPLETE`;
 * throws `RespProtocolError` on a violation (offset relative to `start`).
 */
export function parseFrame(buf: Buffer, start: number, limits: RespLimits): ParsedFrame | typeof INCOMPLETE {
  try {
    return new Parser(buf, start, limits).value(start, 0);
  } catch (err) {
    if (err === incomplete) return INCOMPLETE;
    throw err;
  }
}

/** Reads every whole frame of `buf`; `rest` is the offset of the first unfinished byte. Throws on a violation. */
export function parseFrames(buf: Buffer, limits: RespLimits): { nodes: RespNode[]; rest: number } {
  const nodes: RespNode[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const frame = parseFrame(buf, pos, limits);
    if (frame === INCOMPLETE) break;
    nodes.push(frame.node);
    pos = frame.end;
  }
  return { nodes, rest: pos };
}
