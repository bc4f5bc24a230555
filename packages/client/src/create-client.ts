import { Client } from './client.js';
import type { ClientOptions } from './client-options.js';

/**
 * Makes a client from a URL (`redis://user:pass@host:6379/0`, `rediss://…`, `unix:///path`) or
 * an options object. It connects on the first command (or `connect()`); nothing is opened here.
 * Throws `InvalidOptionError` for a bad option, before anything is opened.
 */
export function createClient(options?: string | ClientOptions): Client {
  return new Client(options);
}
