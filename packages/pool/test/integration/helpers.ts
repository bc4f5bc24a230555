import { connect, type Socket } from 'node:net';
import { type FaultProxy, startFaultProxy } from '@fusedis/test-harness';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { Connection, type ConnectionOptions, duplex, type Transport, tcp } from '../../src/index.js';

/** The standalone server of the integration project. */
export function standalone(): { host: string; port: number; version: string } {
  return inject('servers').standalone;
}

/** Connections opened by a test file; `closeAll()` in afterEach/afterAll destroys what is left. */
export class Opened {
  readonly #connections: Connection[] = [];

  async open(options: Partial<ConnectionOptions> = {}, signal?: AbortSignal): Promise<Connection> {
    const { host, port } = standalone();
    const connection = await Connection.open({ transport: tcp({ host, port }), ...options }, signal);
    this.#connections.push(connection);
    return connection;
  }

  /** Tracks a connection opened elsewhere. */
  add(connection: Connection): Connection {
    this.#connections.push(connection);
    return connection;
  }

  closeAll(): void {
    for (const connection of this.#connections.splice(0)) connection.destroy();
  }
}

/** A TCP transport (through `duplex()`) that counts the socket writes of every stream it made. */
export function countingTransport(
  host: string,
  port: number,
): { transport: Transport; writes: () => number } {
  let writes = 0;
  const transport = duplex(
    () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host, port, noDelay: true });
        const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
        socket.write = ((...args: unknown[]) => {
          writes++;
          return write(...args);
        }) as Socket['write'];
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      }),
    'counting-tcp',
  );
  return { transport, writes: () => writes };
}

/** A unique key for this test run. */
export function key(name: string): string {
  return `pool-test:${process.pid}:${name}:${Math.random().toString(36).slice(2)}`;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A fault proxy in front of the standalone server, shared by one test file (see {@link proxiedStandalone}). */
export interface ProxiedStandalone {
  /** The proxy; set once the file's `beforeAll` has run. */
  readonly proxy: FaultProxy;
  /** Connections of the file (direct or through the proxy), destroyed after each test. */
  readonly opened: Opened;
  /** Opens a connection through the proxy, destroyed after the test. */
  open(options?: Partial<ConnectionOptions>): Promise<Connection>;
}

/**
 * Starts a fault proxy before the file's tests. After each test, destroys the connections
 * opened through it and sets it back to `pass`; after all, checks that no connection through
 * it is left (each test closed its own) and closes it. Call it at the top of the file.
 */
export function proxiedStandalone(): ProxiedStandalone {
  const opened = new Opened();
  let proxy: FaultProxy | undefined;
  const current = (): FaultProxy => {
    if (proxy === undefined) throw new Error('the fault proxy starts in beforeAll');
    return proxy;
  };
  beforeAll(async () => {
    proxy = await startFaultProxy(standalone());
  });
  afterEach(() => {
    opened.closeAll();
    proxy?.setMode('pass');
  });
  afterAll(async () => {
    const p = current();
    for (let i = 0; i < 50 && p.connections > 0; i++) await sleep(10);
    expect(p.connections).toBe(0);
    await p.close();
  });
  return {
    opened,
    get proxy() {
      return current();
    },
    open: (options = {}) => {
      const { host, port } = current();
      return Connection.open({ transport: tcp({ host, port }), ...options }).then((c) => opened.add(c));
    },
  };
}
