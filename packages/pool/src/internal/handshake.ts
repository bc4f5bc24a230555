import { setTimeout as sleep } from 'node:timers/promises';
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
  /** End with a `PING` to learn whether the server is still loading its data. */
  readonly readyCheck: boolean;
}

/** What the server told us. */
export interface HandshakeResult {
  readonly protocol: 2 | 3;
  readonly serverVersion: string | undefined;
  readonly clientId: number | undefined;
  /** The ready check's `PING` was answered `LOADING`: the server is reading its data. */
  readonly loading: boolean;
}

/**
 * Opens the session in two round trips at most:
 *   1. `HELLO <protocol> [AUTH user pass] [SETNAME name]`; if the server does not know HELLO
 *      (Redis < 6) or refuses the protocol (NOPROTO), RESP2 with `AUTH` and `CLIENT SETNAME`;
 *   2. one pipeline: [AUTH, CLIENT SETNAME (fallback only)], `SELECT db`, `CLIENT SETINFO`,
 *      and the ready check's `PING`.
 * Rejects with the server's `ReplyError` (WRONGPASS, NOPERM…) except for SETINFO's, which old
 * servers do not know and which are ignored, and PING's: only `LOADING` means something there
 * (an ACL without PING, say, is no reason to fail).
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
  if (settings.readyCheck) after.push({ args: ['PING'] });
  let loading = false;
  if (after.length > 0) {
    const replies = await target.sendMany(after, signal);
    for (let i = 0; i < required; i++) {
      const reply = replies[i];
      if (reply instanceof ReplyError) throw reply;
    }
    if (settings.readyCheck) loading = isLoading(replies[replies.length - 1]);
  }
  return { protocol, serverVersion, clientId, loading };
}

/** Asks again (100 ms, doubling to 1 s apart) until the server no longer answers `LOADING`. */
export async function waitWhileLoading(target: HandshakeTarget, signal: AbortSignal): Promise<void> {
  for (let delay = LOADING_FIRST_WAIT_MS; ; delay = Math.min(delay * 2, LOADING_MAX_WAIT_MS)) {
    await sleep(delay, undefined, { signal });
    const reply = await target.send({ args: ['PING'] }, signal).catch((err: unknown) => {
      if (err instanceof ReplyError) return err;
      throw err;
    });
    if (!isLoading(reply)) return;
  }
}

const LOADING_FIRST_WAIT_MS = 100;
const LOADING_MAX_WAIT_MS = 1_000;

function isLoading(reply: unknown): boolean {
  return reply instanceof ReplyError && reply.code === 'LOADING';
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
