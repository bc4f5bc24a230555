/** COMMAND INFO and COMMAND DOCS replies as objects: nested flat arrays (RESP2) and maps (RESP3) alike. */
import { camelRecord, deepCamelRecord } from './record-shapes.js';
import { toRecord } from './replies.js';

/** One command of COMMAND INFO. Key positions follow the legacy first/last/step scheme. */
export interface CommandInfo {
  readonly name: string;
  /** Number of arguments, name included; negative: at least that many. */
  readonly arity: number;
  readonly flags: string[];
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  readonly aclCategories: string[];
  readonly tips: string[];
  readonly keySpecs: Record<string, unknown>[];
  readonly subcommands: CommandInfo[];
}

/** `[name, arity, flags, first, last, step, acl, tips, keyspecs, subcommands]`; unknown commands stay null. */
export function toCommandInfo(raw: unknown): CommandInfo | null {
  if (raw === null || raw === undefined) return null;
  const [name, arity, flags, firstKey, lastKey, step, aclCategories, tips, keySpecs, subcommands] =
    raw as unknown[];
  return {
    name: String(name),
    arity: Number(arity),
    flags: toStrings(flags),
    firstKey: Number(firstKey),
    lastKey: Number(lastKey),
    step: Number(step),
    aclCategories: toStrings(aclCategories),
    tips: toStrings(tips),
    keySpecs: ((keySpecs ?? []) as unknown[]).map(
      (spec) =>
        deepCamelRecord(spec, (path) => path.length !== 1 || path[0] !== 'flags') as Record<string, unknown>,
    ),
    subcommands: ((subcommands ?? []) as unknown[])
      .map(toCommandInfo)
      .filter((c): c is CommandInfo => c !== null),
  };
}

function toStrings(raw: unknown): string[] {
  return ((raw ?? []) as unknown[]).map(String);
}

/** One argument of a command's docs; `arguments` for blocks and one-ofs. */
export interface CommandDocArgument {
  readonly name: string;
  /** `string`, `integer`, `double`, `key`, `pattern`, `unix-time`, `pure-token`, `oneof`, `block`. */
  readonly type: string;
  readonly displayText?: string;
  readonly token?: string;
  readonly flags?: string[];
  readonly arguments?: CommandDocArgument[];
  readonly [field: string]: unknown;
}

/** One command of COMMAND DOCS (camelCased names: `docFlags`, `replacedBy`…). */
export interface CommandDoc {
  readonly summary: string;
  readonly since: string;
  readonly group: string;
  readonly complexity?: string;
  readonly arguments?: CommandDocArgument[];
  readonly subcommands?: Record<string, CommandDoc>;
  readonly [field: string]: unknown;
}

function toArgument(raw: unknown): CommandDocArgument {
  return camelRecord<CommandDocArgument>(raw, (key, value) =>
    key === 'arguments' ? ((value ?? []) as unknown[]).map(toArgument) : value,
  );
}

function toDoc(raw: unknown): CommandDoc {
  return camelRecord<CommandDoc>(raw, (key, value) => {
    if (key === 'arguments') return ((value ?? []) as unknown[]).map(toArgument);
    if (key === 'subcommands') return toDocs(value);
    return value;
  });
}

/** `{ name: doc }`; subcommands are keyed `parent|sub` as Redis names them. */
export function toDocs(reply: unknown): Record<string, CommandDoc> {
  const docs: Record<string, CommandDoc> = Object.create(null);
  // Command names are kept as sent (`client|no-evict`), never camelCased.
  const record = toRecord<unknown>(reply);
  for (const name of Object.keys(record)) docs[name] = toDoc(record[name]);
  return docs;
}
