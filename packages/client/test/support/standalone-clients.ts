import { afterAll, afterEach, inject } from 'vitest';
import { type Client, createClient } from '../../src/index.js';

/** Opens a client to the shared standalone server, optionally with a key prefix. */
export type OpenClient = (protocol: 2 | 3, keyPrefix?: string) => Client;

/**
 * Clients to the shared standalone server for one test file: each one opened is disconnected
 * after each test (`'each'`) or after the file's tests (`'all'`). Call it at the top of the file.
 * @default closeAfter 'each'
 */
export function standaloneClients(closeAfter: 'each' | 'all' = 'each'): OpenClient {
  const server = inject('servers').standalone;
  const opened: Client[] = [];
  (closeAfter === 'each' ? afterEach : afterAll)(async () => {
    await Promise.all(opened.splice(0).map((c) => c.disconnect()));
  });
  return (protocol, keyPrefix) => {
    const client = createClient({
      host: server.host,
      port: server.port,
      protocol,
      ...(keyPrefix ? { keyPrefix } : {}),
    });
    opened.push(client);
    return client;
  };
}
