import type { BeginSearch, FindKeys, KeySpec } from '../../src/internal/key-spec.js';

/** What the key table keeps of one command (or `container|subcommand`) of `COMMAND INFO`. */
export interface CommandKeyInfo {
  /** Lower case, `object|encoding` for a subcommand. */
  readonly name: string;
  readonly readOnly: boolean;
  /** The specs that locate keys; `not_key` specs (shard channels) are left out. */
  readonly specs: readonly KeySpec[];
  /** Specs the server marks `unknown` (keys only its own code can find, e.g. SORT's STORE). */
  readonly unknownSpecs: number;
  /** A container command (`OBJECT`, `XINFO`): its subcommands carry the specs. */
  readonly hasSubcommands: boolean;
}

/**
 * Reads a RESP2 `COMMAND INFO` reply (every command, or those asked for) into one entry per
 * command and subcommand, sorted by name.
 */
export function keyInfoFromCommandInfo(reply: unknown): CommandKeyInfo[] {
  const out: CommandKeyInfo[] = [];
  for (const entry of asArray(reply, 'COMMAND INFO reply')) {
    if (entry === null) continue;
    collect(asArray(entry, 'command entry'), out);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function collect(entry: unknown[], out: CommandKeyInfo[]): void {
  const name = String(entry[0]).toLowerCase();
  const flags = asArray(entry[2], `${name} flags`).map(String);
  const specs: KeySpec[] = [];
  let unknownSpecs = 0;
  for (const raw of asArray(entry[8] ?? [], `${name} key specs`)) {
    const spec = pairs(raw);
    if (asArray(spec.get('flags'), 'flags').map(String).includes('not_key')) continue;
    const begin = beginSearch(pairs(spec.get('begin_search')));
    const find = findKeys(pairs(spec.get('find_keys')));
    if (begin === undefined || find === undefined) unknownSpecs++;
    else specs.push([begin, find]);
  }
  const subcommands = asArray(entry[9] ?? [], `${name} subcommands`);
  out.push({
    name,
    readOnly: flags.includes('readonly'),
    specs,
    unknownSpecs,
    hasSubcommands: subcommands.length > 0,
  });
  for (const sub of subcommands) collect(asArray(sub, `${name} subcommand`), out);
}

function beginSearch(begin: Map<string, unknown>): BeginSearch | undefined {
  const spec = pairs(begin.get('spec'));
  switch (begin.get('type')) {
    case 'index':
      return Number(spec.get('index'));
    case 'keyword':
      return [String(spec.get('keyword')).toUpperCase(), Number(spec.get('startfrom'))];
    default:
      return undefined;
  }
}

function findKeys(find: Map<string, unknown>): FindKeys | undefined {
  const spec = pairs(find.get('spec'));
  switch (find.get('type')) {
    case 'range':
      return ['range', Number(spec.get('lastkey')), Number(spec.get('keystep')), Number(spec.get('limit'))];
    case 'keynum':
      return [
        'keynum',
        Number(spec.get('keynumidx')),
        Number(spec.get('firstkey')),
        Number(spec.get('keystep')),
      ];
    default:
      return undefined;
  }
}

/** A RESP2 flat `[name, value, …]` list as a Map. */
function pairs(value: unknown): Map<string, unknown> {
  const list = asArray(value, 'field list');
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < list.length; i += 2) map.set(String(list[i]), list[i + 1]);
  return map;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${what}: expected an array, got ${typeof value}`);
  return value;
}
