import { connect } from 'node:net';

/** `PING` as RESP bytes. The harness speaks to servers without any client, so it works before one exists. */
export const PING = Buffer.from('*1\r\n$4\r\nPING\r\n');
/** `INFO server` as RESP bytes: the reply carries `process_id` and `redis_version`. */
export const INFO_SERVER = Buffer.from('*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n');
/** `INFO modules` as RESP bytes: one `module:name=…,ver=…` line per loaded module. */
export const INFO_MODULES = Buffer.from('*2\r\n$4\r\nINFO\r\n$7\r\nmodules\r\n');

/** A reply to {@link rawRequest}: the line for `+`/`-`/`:` replies, or the body of a `$` reply. */
export interface RawReply {
  /** The type byte as a character: `+`, `-`, `:` or `$`. */
  readonly type: string;
  /** The text after the type byte (without CRLF), or the bulk body. `null` for a null bulk. */
  readonly text: string | null;
}

/**
 * Connects, writes `request`, reads exactly one simple reply (`+`, `-`, `:` or `$`) and closes.
 * Rejects when the connection fails or closes first, or after `timeoutMs` milliseconds.
 */
export function rawRequest(
  port: number,
  request: Uint8Array,
  host = '127.0.0.1',
  timeoutMs = 2_000,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (err: Error | undefined, reply?: RawReply): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err !== undefined) reject(err);
      else if (reply !== undefined) resolve(reply);
    };
    const timer = setTimeout(
      () => finish(new Error(`no reply from ${host}:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      let reply: RawReply | undefined;
      try {
        reply = parseSimpleReply(received);
      } catch (err) {
        finish(err as Error);
        return;
      }
      if (reply !== undefined) finish(undefined, reply);
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error(`${host}:${port} closed the connection before replying`)));
  });
}

/** The reply at the start of `buf`, or `undefined` while it is incomplete. */
function parseSimpleReply(buf: Buffer): RawReply | undefined {
  const lineEnd = buf.indexOf('\r\n');
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buf[0] ?? 0);
  const line = buf.toString('latin1', 1, lineEnd);
  if (type === '+' || type === '-' || type === ':') return { type, text: line };
  if (type !== '$') throw new Error(`unexpected reply type ${JSON.stringify(type)} from server`);
  const length = Number.parseInt(line, 10);
  if (length < 0) return { type, text: null };
  const start = lineEnd + 2;
  if (buf.length < start + length + 2) return undefined;
  return { type, text: buf.toString('utf8', start, start + length) };
}

/** The value of `field` in an `INFO` reply (`field:value` lines), if present. */
export function infoField(info: string, field: string): string | undefined {
  const prefix = `${field}:`;
  for (const line of info.split('\r\n')) {
    if (line.startsWith(prefix)) return line.slice(prefix.length);
  }
  return undefined;
}
