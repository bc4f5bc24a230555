import { type Command, type CommandArg, ReplyError } from '@fusedis/resp';

/** What the handshake needs from a connection. */
export interface HandshakeTarget {
  send(cmd: Command, signal?: AbortSignal): Promise<unknown>;
  sendMany(cmds: readonly Command[], signal?: AbortSignal): Promise<unknown[]>;
}

/** The handshake's inputs (the password is passed in, never stored here). */
export interface HandshakeSettings {
  readonly protocol: 2 | 3;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly db: number;
  readonly clientName: string | undefined;
  readonly libName: string | undefined;
  readonly libVersion: string | undefined;
}

/** What the server told us. */
export interface HandshakeResult {
  readonly protocol: 2 | 3;
  readonly serverVersion: string | undefined;
  readonly clientId: number | undefined;
}

/**
 * Opens the session in two round trips at most:
 *   1. `HELLO <protocol> [AUTH user pass] [SETNAME name]`; if the server does not know HELLO
 *      (Redis < 6) or refuses the protocol (NOPROTO), RESP2 with `AUTH` and `CLIENT SETNAME`;
 *   2. one pipeline: [AUTH, CLIENT SETNAME (fallback only)], `SELECT db`, `CLIENT SETINFO`.
 * Rejects with the server's `ReplyError` (WRONGPASS, NOPERM…) except for SETINFO's, which old
 * servers do not know and which are ignored.
 */
export async function handshake(
  target: HandshakeTarget,
  settings: HandshakeSettings,
  signal: AbortSignal,
): Promise<HandshakeResult> {
  const hello: CommandArg[] = ['HELLO', settings.protocol];
  if (settings.password !== undefined) {
    hello.push('AUTH', settings.username ?? 'default', settings.password);
  }
  if (settings.clientName !== undefined) hello.push('SETNAME', settings.clientName);

  let protocol: 2 | 3 = settings.protocol;
  let serverVersion: string | undefined;
  let clientId: number | undefined;
  const after: Command[] = [];
  try {
    const reply = await target.send({ args: hello }, signal);
    const version = field(reply, 'version');
    if (typeof version === 'string') serverVersion = version;
    const id = field(reply, 'id');
    if (typeof id === 'number') clientId = id;
    const proto = field(reply, 'proto');
    if (proto === 2 || proto === 3) protocol = proto;
  } catch (err) {
    if (!(err instanceof ReplyError) || !helloRefused(err)) throw err;
    protocol = 2;
    if (settings.password !== undefined) {
      after.push({
        args:
          settings.username === undefined
            ? ['AUTH', settings.password]
            : ['AUTH', settings.username, settings.password],
      });
    }
    if (settings.clientName !== undefined) {
      after.push({ args: ['CLIENT', 'SETNAME', settings.clientName] });
    }
  }
  const required = after.length + (settings.db !== 0 ? 1 : 0);
  if (settings.db !== 0) after.push({ args: ['SELECT', settings.db] });
  if (settings.libName !== undefined)
    after.push({ args: ['CLIENT', 'SETINFO', 'LIB-NAME', settings.libName] });
  if (settings.libVersion !== undefined) {
    after.push({ args: ['CLIENT', 'SETINFO', 'LIB-VER', settings.libVersion] });
  }
  if (after.length > 0) {
    const replies = await target.sendMany(after, signal);
    for (let i = 0; i < required; i++) {
      const reply = replies[i];
      if (reply instanceof ReplyError) throw reply;
    }
  }
  return { protocol, serverVersion, clientId };
}

/** HELLO is unknown (Redis < 6), the protocol version is refused, or an ACL forbids HELLO itself. */
function helloRefused(err: ReplyError): boolean {
  if (err.code === 'NOPROTO') return true;
  if (err.code === 'NOPERM') return /\bhello\b/i.test(err.message);
  return err.code === 'ERR' && /unknown command/i.test(err.message);
}

/** A field of HELLO's reply: a map (object or Map) in RESP3, a flat key/value array in RESP2. */
function field(reply: unknown, name: string): unknown {
  if (reply instanceof Map) return reply.get(name);
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const key: unknown = reply[i];
      if (key === name || (key instanceof Uint8Array && Buffer.from(key).toString() === name))
        return reply[i + 1];
    }
    return undefined;
  }
  if (typeof reply === 'object' && reply !== null) return (reply as Record<string, unknown>)[name];
  return undefined;
}
