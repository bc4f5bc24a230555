/** Where a test reaches one server started by the global setup. */
export interface ServerEndpoint {
  readonly host: string;
  readonly port: number;
  /** `redis_version` the server reports, e.g. `8.2.3`. */
  readonly version: string;
}

/**
 * The servers the harness's global setup started for an integration project. Tests read it with
 * `inject('servers')`. Later issues add a cluster, sentinels and FalkorDB here.
 */
export interface Servers {
  /** One standalone `redis-server`, shared by every test file of the project. */
  readonly standalone: ServerEndpoint;
  /**
   * A `redis-server` with the FalkorDB module loaded; started only for the `graph:integration`
   * project (absent elsewhere, so other projects do not pay for it).
   */
  readonly falkordb?: ServerEndpoint;
}

// Importing vitest here (not only augmenting it) puts its types in every program that reaches this
// file, even one that never imports vitest itself (the demo script); otherwise the augmentation
// below fails with "module 'vitest' cannot be found".
export type { ProvidedContext } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    servers: Servers;
  }
}
