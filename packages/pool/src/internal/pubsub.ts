import type { CommandArg } from '@fusedis/resp';
import type { Pending } from './pending.js';

/**
 * Pub/sub on the wire. Subscribe-family commands are not answered by a reply: the server sends
 * one confirmation per channel named, `[kind, channel, count]` (a RESP3 push, or in RESP2 an
 * ordinary array once the connection is in subscriber mode). Messages arrive the same way.
 */

/** Confirmation kinds, which are also the lowercase command names. */
const CONFIRMATIONS = new Set([
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
]);
/** Message kinds. */
const MESSAGES = new Set(['message', 'pmessage', 'smessage']);

/** The lowercase name of a subscribe-family command, or '' for any other command. */
export function subscribeKindOf(args: readonly CommandArg[]): string {
  const name = args[0];
  // The family's names are 9 to 12 characters long: most commands are ruled out by length alone.
  if (typeof name === 'string') {
    if (name.length < 9 || name.length > 12) return '';
    const lower = name.toLowerCase();
    return CONFIRMATIONS.has(lower) ? lower : '';
  }
  if (name instanceof Uint8Array && name.length >= 9 && name.length <= 12) {
    const lower = Buffer.from(name.buffer, name.byteOffset, name.byteLength).toString('latin1').toLowerCase();
    return CONFIRMATIONS.has(lower) ? lower : '';
  }
  return '';
}

/** `subscribe`, `psubscribe` or `ssubscribe` (as opposed to the unsubscribe commands). */
export function isSubscribing(kind: string): boolean {
  return kind === 'subscribe' || kind === 'psubscribe' || kind === 'ssubscribe';
}

/** Sharded kinds count their subscriptions apart from channels and patterns. */
export function isShardKind(kind: string): boolean {
  return kind === 'ssubscribe' || kind === 'sunsubscribe';
}

/** The lowercase kind of a pub/sub frame (`message`, `subscribe`…), or '' when `value` is none. */
export function frameKind(value: unknown): string {
  if (!Array.isArray(value) || value.length < 3) return '';
  const first: unknown = value[0];
  let text: string;
  if (typeof first === 'string') text = first;
  else if (first instanceof Uint8Array && first.length <= 12) {
    text = Buffer.from(first.buffer, first.byteOffset, first.byteLength).toString('latin1');
  } else return '';
  if (text.length < 7 || text.length > 12) return '';
  const lower = text.toLowerCase();
  return CONFIRMATIONS.has(lower) || MESSAGES.has(lower) ? lower : '';
}

/** A confirmation kind (as opposed to a message). */
export function isConfirmation(kind: string): boolean {
  return CONFIRMATIONS.has(kind);
}

/** A channel as text, whether it came as a string, bytes or a number. */
export function channelText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString();
  return String(value);
}

/**
 * Whether a confirmation (`kind`, `channel`) answers the subscribe-family command `pending`:
 * same kind, and one of the channels it named (or any, for a no-argument unsubscribe).
 */
export function confirms(pending: Pending, kind: string, channel: unknown): boolean {
  if (pending.subscribeKind !== kind) return false;
  if (pending.count === 0) return true;
  if (pending.received >= pending.count) return false;
  const channels = pending.extra?.channels;
  if (channels === undefined || channels.length === 0) return true;
  const text = channelText(channel);
  for (const candidate of channels) if (channelText(candidate) === text) return true;
  return false;
}

/**
 * RESP2 subscriber mode. Once a subscribe is written, pub/sub arrays arrive among the replies;
 * the mode ends when the server reports no channel, pattern or shard subscription left and no
 * subscribe-family command is pending. RESP3 never enters it: pushes are marked on the wire.
 */
export class SubscriberState {
  /** Replies that look like pub/sub frames are pub/sub frames. */
  active = false;
  #subscriptions = 0;
  #shardSubscriptions = 0;
  #pending = 0;

  /** A subscribe-family command was written. */
  written(kind: string, protocol: 2 | 3): void {
    this.#pending++;
    if (protocol === 2 && isSubscribing(kind)) this.active = true;
  }

  /** A subscribe-family command left the reply queue. */
  settled(): void {
    this.#pending--;
    this.check();
  }

  /** A confirmation reported `count` subscriptions of its kind's family left. */
  counted(kind: string, count: unknown): void {
    if (typeof count !== 'number') return;
    if (isShardKind(kind)) this.#shardSubscriptions = count;
    else this.#subscriptions = count;
  }

  check(): void {
    if (this.active && this.#subscriptions === 0 && this.#shardSubscriptions === 0 && this.#pending === 0) {
      this.active = false;
    }
  }
}
