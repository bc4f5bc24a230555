// Joins tsc's dist/ modules into one file, dist/resp.js, whose code runs inside one function.
//
// Why: V8 ran the same decoder 12 % (one buffer) to 22 % (1,460-byte chunks) faster on a2 when
// its code sat in a function's scope than at an ES module's top level (bundled either way; the
// split dist/ modules ran as slowly as one top-level bundle). See the README, "One file, its code
// inside a function".
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = await build({
  entryPoints: [join(root, 'dist/index.js')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  write: false,
  logLevel: 'warning',
});
const code = result.outputFiles[0].text;
const tail = /export \{([^}]*)\};\s*$/.exec(code);
if (tail === null) throw new Error('bundle.mjs: no export list at the end of the bundle');
// Node's own modules (`node:buffer`) are the only imports allowed: they stay at the top, outside
// the function; anything else would be a runtime dependency.
const imports = code.match(/^import .*;$/gm) ?? [];
const foreign = imports.filter((line) => !/ from "node:[a-z_/]+";$/.test(line));
if (foreign.length > 0) throw new Error(`bundle.mjs: @fusedis/resp must not import ${foreign.join(' ')}`);
const names = tail[1]
  .split(',')
  .map((entry) => entry.trim())
  .filter((entry) => entry.length > 0)
  .map((entry) => {
    const [local, exported = local] = entry.split(/\s+as\s+/);
    return { local, exported };
  });
const body = code.slice(0, tail.index).replace(/^import .*;$/gm, '');
const wrapped = [
  '// @fusedis/resp, bundled by scripts/bundle.mjs from the modules beside this file.',
  ...imports,
  'const exported = (() => {',
  body,
  `  return { ${names.map(({ local, exported }) => (local === exported ? local : `${exported}: ${local}`)).join(', ')} };`,
  '})();',
  `export const { ${names.map(({ exported }) => exported).join(', ')} } = exported;`,
  '',
].join('\n');
writeFileSync(join(root, 'dist/resp.js'), wrapped);
console.log(`bundle.mjs: dist/resp.js, ${names.length} exports, ${Buffer.byteLength(wrapped)} bytes`);
