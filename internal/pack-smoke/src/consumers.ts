/**
 * The throwaway consumer projects: each is written into its own folder, gets the packed tarballs
 * installed with npm (as a user would), and runs one real call through `@fusedis/resp`.
 *
 * They share one check: encode a command and compare its exact bytes, then decode a reply fed in
 * two chunks (the split falls inside a bulk string) and compare the value; an `InvalidArgumentError`
 * thrown by the package must be `instanceof` the class the package exports. A consumer prints
 * `ok <replies>` as its last line when every assertion held.
 */

/** One step to run inside a consumer's folder once the tarballs are installed. */
export interface ConsumerStep {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Runs with `FUSEDIS_SMOKE_URL` set to a real server's `redis://` URL. */
  readonly needsServer?: boolean;
  /** A build step (tsc) prints nothing: success is its exit code alone. */
  readonly build?: boolean;
}

export interface Consumer {
  /** Shown in the PASS/FAIL line. */
  readonly name: string;
  /** Folder name under the smoke test's temp dir. */
  readonly folder: string;
  /** Files to write, by path relative to the folder. */
  readonly files: Readonly<Record<string, string>>;
  readonly steps: readonly ConsumerStep[];
}

/** Paths the consumers need from this machine rather than from the network. */
export interface ConsumerTools {
  /** `typescript/bin/tsc`, run with `node`. */
  readonly tsc: string;
  /** The folder holding `@types/node`, used as the TypeScript consumer's only type root. */
  readonly typeRoot: string;
}

const EXPECTED_WIRE = String.raw`*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$2\r\n42\r\n`;

/** The check, in plain JavaScript; `import`/`require` lines are the caller's. */
const CHECK_JS = `
const encoded = encodeCommand(['SET', 'key', 42]);
assert.ok(Buffer.isBuffer(encoded), 'encodeCommand returns a Buffer');
assert.equal(encoded.toString('latin1'), '${EXPECTED_WIRE}');

const replies = [];
const decoder = createJsDecoder({
  reply(value) { replies.push(value); },
  push(value) { throw new Error('unexpected push ' + JSON.stringify(value)); },
  error(err) { throw err; },
});
decoder.feed(Buffer.from('*2\\r\\n$3\\r\\nfo', 'latin1'));
assert.deepEqual(replies, [], 'nothing comes out of half a reply');
decoder.feed(Buffer.from('o\\r\\n:42\\r\\n', 'latin1'));
assert.deepEqual(replies, [['foo', 42]]);

assert.throws(() => encodeCommand([]), (err) => err instanceof InvalidArgumentError);
console.log('ok ' + JSON.stringify(replies));
`;

/** The same check in strict TypeScript, typed against the packed `.d.ts` files. */
const CHECK_TS = `import assert from 'node:assert/strict';
import {
  type CommandArg,
  createJsDecoder,
  encodeCommand,
  InvalidArgumentError,
  type ReplyDecoder,
  type ReplySink,
} from '@fusedis/resp';

const args: CommandArg[] = ['SET', 'key', 42];
const encoded: Buffer = encodeCommand(args);
assert.equal(encoded.toString('latin1'), '${EXPECTED_WIRE}');

// Never called: it only has to fail to type-check, which proves the types are not \`any\`.
export function refusedByTypes(): Buffer {
  // @ts-expect-error a boolean is not a CommandArg
  return encodeCommand([true]);
}

const replies: unknown[] = [];
const sink: ReplySink = {
  reply(value: unknown): void {
    replies.push(value);
  },
  push(value: unknown[]): void {
    throw new Error(\`unexpected push \${JSON.stringify(value)}\`);
  },
  error(err): void {
    throw err;
  },
};
const decoder: ReplyDecoder = createJsDecoder(sink, { strings: 'utf8' });
decoder.feed(Buffer.from('*2\\r\\n$3\\r\\nfo', 'latin1'));
assert.deepEqual(replies, [], 'nothing comes out of half a reply');
decoder.feed(Buffer.from('o\\r\\n:42\\r\\n', 'latin1'));
assert.deepEqual(replies, [['foo', 42]]);

assert.throws(() => encodeCommand([]), (err: unknown) => err instanceof InvalidArgumentError);
console.log(\`ok \${JSON.stringify(replies)}\`);
`;

/**
 * The full client, against a real server: typed commands, a pipeline, the key-slot entry point of
 * the router, then a graceful quit. Plain JavaScript inside an async function (CommonJS has no
 * top-level await); the caller adds the `import`/`require` lines.
 */
const CLIENT_CHECK_JS = `
async function main() {
  const redis = createClient(process.env.FUSEDIS_SMOKE_URL);
  await redis.set('smoke:greeting', 'héllo');
  assert.equal(await redis.get('smoke:greeting'), 'héllo');
  await redis.del('smoke:n');
  const results = await redis.pipeline().incr('smoke:n').incrby('smoke:n', 41).get('smoke:n').exec();
  assert.deepEqual(results, [[null, 1], [null, 42], [null, '42']]);
  await assert.rejects(redis.lpush('smoke:greeting', 'x'), (err) => err instanceof ReplyError && err.code === 'WRONGTYPE');
  assert.equal(keySlot('{user1000}.following'), keySlot('user1000'));
  const decoder = redis.decoderInfo.kind;
  await redis.quit();
  console.log('ok ' + JSON.stringify({ results, decoder }));
}
main().catch((err) => { console.error(err); process.exitCode = 1; });
`;

/** The same in strict TypeScript against the packed declarations. */
const CLIENT_CHECK_TS = `import assert from 'node:assert/strict';
import { createClient, type PipelineResult, ReplyError } from '@fusedis/client';
import { keySlot } from '@fusedis/router/slot';

// What defineCommand adds, told to TypeScript by declaration merging (as ioredis users do).
declare module '@fusedis/client' {
  interface Client {
    echoKey(key: string): Promise<string>;
  }
}

const redis = createClient(process.env.FUSEDIS_SMOKE_URL ?? 'redis://127.0.0.1:6379');
redis.defineCommand('echoKey', { numberOfKeys: 1, lua: 'return KEYS[1]' });
const echoed: string = await redis.echoKey('smoke:ts:key');
assert.equal(echoed, 'smoke:ts:key');
await redis.set('smoke:ts', 'value');
const value: string | null = await redis.get('smoke:ts');
assert.equal(value, 'value');
const results: PipelineResult[] = await redis.pipeline().incr('smoke:ts:n').exec();
assert.equal(results.length, 1);
await assert.rejects(redis.lpush('smoke:ts', 'x'), (err: unknown) => err instanceof ReplyError);
const slot: number = keySlot('123456789');
assert.equal(slot, 0x31c3);
await redis.quit();
console.log(\`ok \${JSON.stringify({ value, slot })}\`);
`;

function manifest(name: string, type: 'module' | 'commonjs'): string {
  return `${JSON.stringify({ name, version: '0.0.0', private: true, type }, null, 2)}\n`;
}

/** The three consumers: ESM, CommonJS through `require(esm)`, and TypeScript (strict, nodenext). */
export function consumers(tools: ConsumerTools): Consumer[] {
  const tsconfig = {
    compilerOptions: {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'ES2022',
      rootDir: 'src',
      outDir: 'dist',
      types: ['node'],
      typeRoots: [tools.typeRoot],
      // The packed .d.ts files are checked too: a broken declaration must fail here.
      skipLibCheck: false,
    },
    include: ['src'],
  };
  return [
    {
      name: 'ESM consumer (import)',
      folder: 'esm',
      files: {
        'package.json': manifest('fusedis-smoke-esm', 'module'),
        'index.js': `import assert from 'node:assert/strict';\nimport { createJsDecoder, encodeCommand, InvalidArgumentError } from '@fusedis/resp';\n${CHECK_JS}`,
        'client.js': `import assert from 'node:assert/strict';\nimport { createClient, ReplyError } from '@fusedis/client';\nimport { keySlot } from '@fusedis/router/slot';\n${CLIENT_CHECK_JS}`,
      },
      steps: [
        { label: 'node index.js', command: process.execPath, args: ['index.js'] },
        { label: 'node client.js', command: process.execPath, args: ['client.js'], needsServer: true },
      ],
    },
    {
      name: 'CommonJS consumer (require)',
      folder: 'cjs',
      files: {
        'package.json': manifest('fusedis-smoke-cjs', 'commonjs'),
        // require() of an ES module: on by default from Node 20.19 and 22.12, hence our engines range.
        'index.js': `'use strict';\nconst assert = require('node:assert/strict');\nconst { createJsDecoder, encodeCommand, InvalidArgumentError } = require('@fusedis/resp');\n${CHECK_JS}`,
        'client.js': `'use strict';\nconst assert = require('node:assert/strict');\nconst { createClient, ReplyError } = require('@fusedis/client');\nconst { keySlot } = require('@fusedis/router/slot');\n${CLIENT_CHECK_JS}`,
      },
      steps: [
        { label: 'node index.js', command: process.execPath, args: ['index.js'] },
        { label: 'node client.js', command: process.execPath, args: ['client.js'], needsServer: true },
      ],
    },
    {
      name: 'TypeScript consumer (tsc strict, nodenext)',
      folder: 'ts',
      files: {
        'package.json': manifest('fusedis-smoke-ts', 'module'),
        'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
        'src/index.ts': CHECK_TS,
        'src/client.ts': CLIENT_CHECK_TS,
      },
      steps: [
        { label: 'tsc -p .', command: process.execPath, args: [tools.tsc, '-p', '.'], build: true },
        { label: 'node dist/index.js', command: process.execPath, args: ['dist/index.js'] },
        {
          label: 'node dist/client.js',
          command: process.execPath,
          args: ['dist/client.js'],
          needsServer: true,
        },
      ],
    },
  ];
}
