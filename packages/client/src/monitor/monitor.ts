import type { Connection } from '@fusedis/pool';
import { type MonitorEvent, parseMonitorLine } from './monitor-line.js';

/** Receives each command the server runs, once `client.monitor()` resolved. */
export type MonitorListener = (event: MonitorEvent) => void;

/**
 * A running `MONITOR`, on a connection of its own (a monitoring connection can do nothing else).
 * It stops with `stop()`, with the client's `quit()`/`disconnect()`, or when its connection is
 * lost (it is not reopened: a monitor is a debugging tool, and a gap should be seen); `closed`
 * resolves then.
 */
export class Monitor {
  /** Resolves once the monitor stopped, for whatever reason. */
  readonly closed: Promise<void>;
  readonly #connection: Connection;

  /** @internal Made by `client.monitor()` over a connection already monitoring. */
  constructor(connection: Connection) {
    this.#connection = connection;
    this.closed = connection.closed
      ? Promise.resolve()
      : new Promise((resolve) => connection.on('close', () => resolve()));
  }

  /** Stops monitoring and closes its connection. Idempotent. */
  async stop(): Promise<void> {
    await this.#connection.close();
  }

  /** `await using monitor = await client.monitor(…)` stops it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

/**
 * Turns `connection` into a {@link Monitor}: lines go to `listener` as {@link MonitorEvent}s
 * (a line of an unknown shape still arrives, with `args` empty and `line` as sent).
 */
export async function startMonitor(connection: Connection, listener: MonitorListener): Promise<Monitor> {
  await connection.monitor((raw) => {
    const line = typeof raw === 'string' ? raw : raw.toString('latin1');
    listener(parseMonitorLine(line) ?? { time: Number.NaN, db: -1, source: '', args: [], line });
  });
  return new Monitor(connection);
}
