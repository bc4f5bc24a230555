/** Which family a subscription belongs to: channels, patterns, or shard channels (Redis 7+). */
export type PubSubKind = 'channel' | 'pattern' | 'shard';

/** One message, as a subscription's async iterator yields it. */
export interface PubSubMessage<T = string> {
  /** The channel it was published to. */
  readonly channel: string;
  /** The payload: a string, or a Buffer on a Buffer subscription. */
  readonly message: T;
  /** The pattern that matched, for pattern subscriptions. */
  readonly pattern?: string;
}

/**
 * Called for each message: `(message, channel)`, and `pattern` for pattern subscriptions.
 * An exception it throws is rethrown asynchronously (an uncaught error), never lost, and never
 * stops delivery to the other listeners.
 */
export type MessageListener<T = string> = (message: T, channel: string, pattern?: string) => void;

/** A message as it came off the wire, before it is shaped for a listener. */
export interface RawMessage {
  readonly kind: PubSubKind;
  /** The subscription name it matched: the channel, or the pattern. */
  readonly name: string;
  readonly channel: string;
  readonly payload: unknown;
  readonly pattern: string | undefined;
}

/** The wire names of each kind's commands. */
export const COMMAND_OF: Readonly<Record<PubSubKind, { subscribe: string; unsubscribe: string }>> = {
  channel: { subscribe: 'SUBSCRIBE', unsubscribe: 'UNSUBSCRIBE' },
  pattern: { subscribe: 'PSUBSCRIBE', unsubscribe: 'PUNSUBSCRIBE' },
  shard: { subscribe: 'SSUBSCRIBE', unsubscribe: 'SUNSUBSCRIBE' },
};

/** Text of a channel or pattern that came as a string or as bytes. */
export function nameText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString();
  return String(value);
}

/**
 * A `message`/`pmessage`/`smessage` frame as a {@link RawMessage}; `undefined` for anything else
 * (confirmations, invalidations, other pushes).
 */
export function parseMessage(push: readonly unknown[]): RawMessage | undefined {
  const head = push[0];
  const kind = typeof head === 'string' ? head : head instanceof Uint8Array ? nameText(head) : '';
  // Servers send these in lowercase; the lengths rule most pushes out before comparing.
  if (kind.length === 7 && kind === 'message' && push.length >= 3) {
    const channel = nameText(push[1]);
    return { kind: 'channel', name: channel, channel, payload: push[2], pattern: undefined };
  }
  if (kind.length === 8 && push.length >= 4 && kind === 'pmessage') {
    const pattern = nameText(push[1]);
    return { kind: 'pattern', name: pattern, channel: nameText(push[2]), payload: push[3], pattern };
  }
  if (kind.length === 8 && push.length >= 3 && kind === 'smessage') {
    const channel = nameText(push[1]);
    return { kind: 'shard', name: channel, channel, payload: push[2], pattern: undefined };
  }
  return undefined;
}

/** The payload as a listener asked for it. */
export function payloadAs(payload: unknown, buffers: boolean): string | Buffer {
  if (buffers) {
    if (Buffer.isBuffer(payload)) return payload;
    if (payload instanceof Uint8Array)
      return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return Buffer.from(String(payload));
  }
  return typeof payload === 'string' ? payload : nameText(payload);
}
