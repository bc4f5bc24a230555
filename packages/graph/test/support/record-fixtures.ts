/**
 * TEST SUPPORT ONLY: records the decode fixtures from a real FalkorDB.
 *   pnpm exec tsx --conditions=@fusedis/source packages/graph/test/support/record-fixtures.ts
 * Starts its own FalkorDB, seeds FIXTURE_GRAPH, records every FIXTURE_QUERIES reply's bytes (RESP2,
 * and RESP3 for RESP3_FIXTURES) plus the schema tables, and writes test/fixtures/replies.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJsDecoder } from '@fusedis/resp';
import { findServers, startRedis } from '@fusedis/test-harness';
import {
  FIXTURE_GRAPH,
  FIXTURE_QUERIES,
  FIXTURE_SEED,
  type FixtureName,
  RESP3_FIXTURES,
} from './fixture-queries.js';
import { RawWire } from './raw-wire.js';

function decodeOne(bytes: Buffer): unknown {
  let out: unknown;
  createJsDecoder({
    reply: (v) => (out = v),
    push: () => {},
    error: (e) => {
      throw e;
    },
  }).feed(bytes);
  return out;
}

async function names(wire: RawWire, call: string): Promise<string[]> {
  const reply = decodeOne(
    await wire.request(['GRAPH.RO_QUERY', FIXTURE_GRAPH, call, '--compact']),
  ) as unknown[][][][];
  return (reply[1] ?? []).map((row) => String(row[0]?.[1]));
}

async function main(): Promise<void> {
  const module = (await findServers()).falkordbModule;
  if (module === undefined) throw new Error('no FalkorDB module found');
  const server = await startRedis({ module });
  const wire = await RawWire.open(server.port);
  const wire3 = await RawWire.open(server.port);
  try {
    await wire3.request(['HELLO', '3']);
    const modules = String(decodeOne(await wire.request(['INFO', 'modules'])));
    const ver = /name=graph,ver=(\d+)/.exec(modules)?.[1] ?? '0';
    const v = Number(ver);
    const falkordb = `${Math.floor(v / 10000)}.${Math.floor(v / 100) % 100}.${v % 100}`;
    for (const q of FIXTURE_SEED) await wire.request(['GRAPH.QUERY', FIXTURE_GRAPH, q, '--compact']);
    const replies: Record<string, { query: string; resp2: string; resp3?: string }> = {};
    for (const [name, query] of Object.entries(FIXTURE_QUERIES) as [FixtureName, string][]) {
      const args = ['GRAPH.QUERY', FIXTURE_GRAPH, query, '--compact'];
      const resp2 = (await wire.request(args)).toString('base64');
      const resp3 = RESP3_FIXTURES.includes(name)
        ? (await wire3.request(args)).toString('base64')
        : undefined;
      replies[name] = resp3 === undefined ? { query, resp2 } : { query, resp2, resp3 };
    }
    const schema = {
      labels: await names(wire, 'CALL db.labels()'),
      relationshipTypes: await names(wire, 'CALL db.relationshipTypes()'),
      propertyKeys: await names(wire, 'CALL db.propertyKeys()'),
    };
    const out = { falkordb, redis: server.version, schema, replies };
    const file = join(import.meta.dirname, '../fixtures/replies.json');
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`wrote ${file} (FalkorDB ${falkordb}, redis ${server.version})`);
  } finally {
    await wire.close();
    await wire3.close();
    await server.stop();
  }
}

await main();
