import { createServer } from 'node:net';

/**
 * A TCP port on `host` that was free a moment ago: the kernel picks it when we bind port 0, then
 * we release it. Another process may take it before the server binds it, so callers retry when
 * their server reports the address in use.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error(`could not read the port bound on ${host}`));
      });
    });
  });
}
