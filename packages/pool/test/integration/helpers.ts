import { connect, type Socket } from 'node:net';
import { inject } from 'vitest';
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
