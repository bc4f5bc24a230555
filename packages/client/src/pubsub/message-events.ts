import type { ClientEmitter } from '../client-events.js';
import type { RawMessage } from './message.js';
import { payloadAs } from './message.js';

/** The client events each kind of message is emitted as, text first, then Buffers. */
const EVENT_OF = {
  channel: ['message', 'messageBuffer'],
  pattern: ['pmessage', 'pmessageBuffer'],
  shard: ['smessage', 'smessageBuffer'],
} as const;

/**
 * Emits `raw` as ioredis does: `message` (channel, message), `pmessage` (pattern, channel,
 * message), `smessage` (channel, message), and their `…Buffer` twins with every argument a
 * Buffer. Each is shaped only when someone listens to it.
 */
export function emitMessageEvents(events: ClientEmitter, raw: RawMessage): void {
  const [text, bytes] = EVENT_OF[raw.kind];
  if (events.listenerCount(text) > 0) {
    const message = payloadAs(raw.payload, false) as string;
    if (raw.kind === 'pattern') events.emit('pmessage', raw.name, raw.channel, message);
    else events.emit(text as 'message' | 'smessage', raw.channel, message);
  }
  if (events.listenerCount(bytes) > 0) {
    const message = payloadAs(raw.payload, true) as Buffer;
    const channel = Buffer.from(raw.channel);
    if (raw.kind === 'pattern') events.emit('pmessageBuffer', Buffer.from(raw.name), channel, message);
    else events.emit(bytes as 'messageBuffer' | 'smessageBuffer', channel, message);
  }
}
