import { encodeCommand } from '@fusedis/resp';
import { PING, rawRequest } from './raw-request.js';
import { type RedisServer, startRedis } from './redis-server.js';
import { serverCommand } from './server-command.js';

/** A reload in progress: the server answers `LOADING` until `done` settles. */
export interface Reload {
  /** Settles when `DEBUG RELOAD` has answered: the data is loaded again. */
  readonly done: Promise<void>;
  /** Whether `done` has settled. */
  finished(): boolean;
}

/** A server whose `DEBUG RELOAD` takes a second or two, answering other clients `LOADING`. */
export interface LoadingRedis {
  readonly server: RedisServer;
  /** Starts `DEBUG RELOAD` and resolves once the server answers `LOADING`. */
  reload(): Promise<Reload>;
  /** Resolves once no reload is in progress (a test that failed midway must not start another over it). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a server holding `keys` keys (`key:N` → `value:N`, `DEBUG POPULATE`) whose reloads are
 * slowed by `key-load-delay` (a setting of Redis's own test suite, µs per key), with events
 * processed every KiB read: what a restart with a large dataset looks like to clients.
 */
export async function startLoadingRedis(keys = 10_000): Promise<LoadingRedis> {
  const server = await startRedis({
    args: [
      '--enable-debug-command',
      'yes',
      '--key-load-delay',
      '50',
      '--loading-process-events-interval-bytes',
      '1024',
      '--save',
      '',
    ],
  });
  await serverCommand(server.port, 'DEBUG', 'POPULATE', keys);
  let last: Promise<void> = Promise.resolve();
  return {
    server,
    async reload(): Promise<Reload> {
      await last;
      let over = false;
      const done = rawRequest(server.port, encodeCommand(['DEBUG', 'RELOAD']), server.host, 60_000).then(
        (reply) => {
          over = true;
          if (reply.type === '-') throw new Error(`DEBUG RELOAD: ${reply.text}`);
        },
        (err: unknown) => {
          over = true;
          throw err;
        },
      );
      last = done.catch(() => {});
      for (;;) {
        const reply = await rawRequest(server.port, PING, server.host);
        if (reply.type === '-' && reply.text?.startsWith('LOADING') === true) break;
        if (over) throw new Error('the reload ended before the server was seen loading');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return { done, finished: () => over };
    },
    idle: () => last,
    stop: () => server.stop(),
  };
}
