import type { RespEntry, RespNode } from './resp-node.js';

/*
 * A small RESP3 writer for reply values (what a server sends), used to build property-test
 * streams. It is not the command encoder of @fusedis/resp, which only writes arrays of bulks.
 */

const CRLF = Buffer.from('\r\n');

function header(prefix: string, text: string | number): Buffer {
  return Buffer.from(`${prefix}${text}\r\n`, 'latin1');
}

function lineOf(prefix: string, bytes: Buffer): Buffer[] {
  return [Buffer.from(prefix, 'latin1'), bytes, CRLF];
}

function entriesParts(entries: readonly RespEntry[], parts: Buffer[]): void {
  for (const [key, value] of entries) {
    writeParts(key, parts);
    writeParts(value, parts);
  }
}

function writeParts(node: RespNode, parts: Buffer[]): void {
  switch (node.type) {
    case 'simple-string':
      parts.push(...lineOf('+', node.bytes));
      return;
    case 'simple-error':
      parts.push(...lineOf('-', node.bytes));
      return;
    case 'integer':
      parts.push(header(':', node.text));
      return;
    case 'double':
      parts.push(header(',', node.text));
      return;
    case 'big-number':
      parts.push(header('(', node.text));
      return;
    case 'boolean':
      parts.push(header('#', node.value ? 't' : 'f'));
      return;
    case 'null':
      parts.push(header(node.wire, ''));
      return;
    case 'bulk-string':
      parts.push(header('$', node.bytes.length), node.bytes, CRLF);
      return;
    case 'bulk-error':
      parts.push(header('!', node.bytes.length), node.bytes, CRLF);
      return;
    case 'verbatim':
      parts.push(header('=', node.bytes.length + 4), node.format, Buffer.from(':'), node.bytes, CRLF);
      return;
    case 'array':
    case 'set':
    case 'push':
      parts.push(header(node.type === 'array' ? '*' : node.type === 'set' ? '~' : '>', node.items.length));
      for (const item of node.items) writeParts(item, parts);
      return;
    case 'map':
      parts.push(header('%', node.entries.length));
      entriesParts(node.entries, parts);
      return;
    case 'attribute':
      parts.push(header('|', node.entries.length));
      entriesParts(node.entries, parts);
      writeParts(node.value, parts);
      return;
  }
}

/** The wire bytes of one reply. */
export function writeResp(node: RespNode): Buffer {
  const parts: Buffer[] = [];
  writeParts(node, parts);
  return Buffer.concat(parts);
}

/** The wire bytes of several replies in a row, and the offset where each one ends. */
export function writeStream(nodes: readonly RespNode[]): { bytes: Buffer; ends: number[] } {
  const frames = nodes.map(writeResp);
  const ends: number[] = [];
  let at = 0;
  for (const frame of frames) {
    at += frame.length;
    ends.push(at);
  }
  return { bytes: Buffer.concat(frames), ends };
}
