import { type TlsOptions, type Transport, tcp, tls } from '@fusedis/pool';
import { ClusterRouter, type NodeAddress, type Router, SentinelRouter } from '@fusedis/router';
import type { RouterConnectionOptions } from '../client-options.js';
import type { ResolvedOptions } from './resolve-options.js';

type TlsChoice = boolean | Omit<TlsOptions, 'host' | 'port'> | undefined;

/**
 * The router behind a cluster, sentinel or `router` client. `connection` carries the client's
 * auth, protocol, decoder, timeouts and push listener, and applies to every data node.
 */
export function buildRouter(
  o: ResolvedOptions,
  connection: RouterConnectionOptions,
  onStreamClosed: () => void,
): Router {
  const topology = o.topology;
  switch (topology.kind) {
    case 'router':
      if (typeof topology.router !== 'function') return topology.router;
      return topology.router(o.db === 0 ? connection : { ...connection, db: o.db });
    case 'cluster': {
      const c = topology.options;
      const url = topology.fromUrl;
      // Credentials in the first seed URL count when the options give none.
      const own: { -readonly [K in keyof RouterConnectionOptions]: RouterConnectionOptions[K] } = {
        ...connection,
      };
      const urlPassword = (url as { password?: string }).password;
      if (own.password === undefined && urlPassword !== undefined) {
        own.password = urlPassword;
        if (own.username === undefined && url.username !== undefined) own.username = url.username;
      }
      return new ClusterRouter({
        seeds: topology.seeds,
        connection: own,
        transport: watched(nodeTransport(o.given.tls ?? url.tls), onStreamClosed),
        ...(topology.natMap === undefined ? {} : { natMap: topology.natMap }),
        ...(c.readFrom === undefined ? {} : { readFrom: c.readFrom }),
        ...(c.maxRedirections === undefined ? {} : { maxRedirections: c.maxRedirections }),
        ...(c.refreshInterval === undefined ? {} : { refreshInterval: c.refreshInterval }),
        pool: poolOptions(o),
      });
    }
    case 'sentinel': {
      const s = topology.options;
      const sentinelConnection: {
        -readonly [K in keyof RouterConnectionOptions]: RouterConnectionOptions[K];
      } = {
        connectTimeout: o.connectTimeout,
        commandTimeout: o.commandTimeout,
        readyCheck: false, // sentinels hold no data to load
      };
      if (s.sentinelUsername !== undefined) sentinelConnection.username = s.sentinelUsername;
      if (s.sentinelPassword !== undefined) sentinelConnection.password = s.sentinelPassword;
      return new SentinelRouter({
        sentinels: topology.sentinels,
        masterName: s.masterName,
        connection: o.db === 0 ? connection : { ...connection, db: o.db },
        sentinelConnection,
        transport: watched(nodeTransport(o.given.tls), onStreamClosed),
        sentinelTransport: nodeTransport(s.sentinelTls),
        ...(topology.natMap === undefined ? {} : { natMap: topology.natMap }),
        ...(s.readFrom === undefined ? {} : { readFrom: s.readFrom }),
        ...(s.updateSentinels === undefined ? {} : { updateSentinels: s.updateSentinels }),
        pool: poolOptions(o),
      });
    }
    default:
      throw new TypeError('buildRouter: a standalone client has no router');
  }
}

/** Plain TCP, or TLS whose server name is each node's host unless the options name one. */
function nodeTransport(choice: TlsChoice): (address: NodeAddress) => Transport {
  if (choice === undefined || choice === false) return (a) => tcp({ host: a.host, port: a.port });
  const base = choice === true ? {} : choice;
  return (a) => tls({ ...base, host: a.host, port: a.port });
}

/** Tells `onClosed` each time a stream to a data node closes (pub/sub then subscribes again). */
function watched(
  build: (address: NodeAddress) => Transport,
  onClosed: () => void,
): (address: NodeAddress) => Transport {
  return (address) => {
    const inner = build(address);
    return {
      label: inner.label,
      async connect(signal?: AbortSignal) {
        const stream = await inner.connect(signal);
        stream.once('close', onClosed);
        return stream;
      },
    };
  };
}

function poolOptions(o: ResolvedOptions) {
  return {
    max: o.pool.max,
    min: o.pool.min,
    idleTimeout: o.pool.idleTimeout,
    acquireTimeout: o.pool.acquireTimeout,
  };
}
