import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does with traffic, for every connection (open and future), from the moment it
 * is set:
 * - `'pass'`: forwards both ways.
 * - `'blackhole'`: accepts and keeps the sockets, forwards nothing either way (a dead link with
 *   no FIN or RST: only timeouts can notice it).
 * - `'swallow-replies'`: forwards client → server, drops server → client (commands execute, their
 *   replies never arrive).
 * - `'split'`: forwards client → server as is, server → client one byte per write (replies cut
 *   at every offset).
 * - `'refuse'`: resets each new connection as it is accepted (a server that is down, failing
 *   fast); open ones are left as they are (`resetAll()` for those).
 */
export type FaultMode = 'pass' | 'blackhole' | 'swallow-replies' | 'split' | 'refuse';

/** Options for {@link startFaultProxy}: the real server it stands in front of. */
export interface FaultProxyOptions {
  readonly host: string;
  readonly port: number;
}

/** A running fault proxy. */
export interface FaultProxy {
  /** Where clients connect: always the loopback address. */
  readonly host: '127.0.0.1';
  /** The proxy's own (free) port. */
  readonly port: number;
  /** Client connections currently open through the proxy. */
  readonly connections: number;
  /** Connections accepted since the proxy started. */
  readonly accepted: number;
  /** The current mode. */
  readonly mode: FaultMode;
  /** Switches every connection, open and future, to `mode`. @see FaultMode */
  setMode(mode: FaultMode): void;
  /** Resets every client connection (TCP RST via `socket.resetAndDestroy()`) and its upstream. */
  resetAll(): void;
  /** Writes `bytes` to every connected client as if the server had sent them (e.g. a bad frame). */
  injectToClients(bytes: Uint8Array | string): void;
  /** Stops listening and destroys every connection. Idempotent. */
  close(): Promise<void>;
}

/** One client and its upstream socket. */
interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Server → client bytes waiting to go out one at a time (`'split'`). */
  readonly drip: Buffer[];
  dripping: boolean;
}

/**
 * Starts a TCP proxy on a free loopback port in front of a real server, whose mode tests switch
 * to inject faults (see {@link FaultMode}). The proxy never holds the event loop open on its own;
 * tests must still `close()` it.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const links = new Set<Link>();
  let mode: FaultMode = 'pass';
  let accepted = 0;
  let closing: Promise<void> | undefined;

  const server: Server = createServer({ noDelay: true }, (client) => {
    accepted++;
    if (mode === 'refuse') {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ host: options.host, port: options.port, noDelay: true });
    const link: Link = { client, upstream, drip: [], dripping: false };
    links.add(link);
    const drop = (): void => {
      if (!links.delete(link)) return;
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.on('data', (chunk: Buffer) => {
      if (mode !== 'blackhole') upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      // Bytes still dripping from a 'split' go first: passing a later chunk ahead of them would
      // reorder the stream.
      if (mode === 'pass' && !link.dripping) client.write(chunk);
      else if (mode === 'pass' || mode === 'split') {
        link.drip.push(chunk);
        if (!link.dripping) drip(link);
      }
    });
  });

  /** Writes the link's queued bytes one per event-loop turn, so each is its own TCP segment. */
  const drip = (link: Link): void => {
    const head = link.drip[0];
    if (head === undefined || link.client.destroyed) {
      link.dripping = false;
      return;
    }
    if (mode === 'pass') {
      // Back to passing: what is still queued goes out at once, in order.
      for (const chunk of link.drip.splice(0)) link.client.write(chunk);
      link.dripping = false;
      return;
    }
    link.dripping = true;
    link.client.write(head.subarray(0, 1));
    if (head.length > 1) link.drip[0] = head.subarray(1);
    else link.drip.shift();
    setImmediate(drip, link);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('the fault proxy has no port');

  return {
    host: '127.0.0.1',
    port: address.port,
    get connections() {
      return links.size;
    },
    get accepted() {
      return accepted;
    },
    get mode() {
      return mode;
    },
    setMode(next: FaultMode): void {
      mode = next;
    },
    resetAll(): void {
      for (const link of [...links]) {
        links.delete(link);
        link.client.resetAndDestroy();
        link.upstream.destroy();
      }
    },
    injectToClients(bytes: Uint8Array | string): void {
      for (const link of links) link.client.write(bytes);
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const link of [...links]) {
          links.delete(link);
          link.client.destroy();
          link.upstream.destroy();
        }
      });
      return closing;
    },
  };
}
