/**
 * Sample calls made from `COMMAND DOCS` (RESP2 reply): for each command and subcommand, argument
 * lists that follow its documented grammar, with every key, string and pattern a unique word, so
 * a key found by `COMMAND GETKEYS` says which position it came from.
 */

/** One argument of a command's documented grammar. */
interface DocArgument {
  readonly type: string;
  readonly token?: string;
  readonly optional: boolean;
  readonly multiple: boolean;
  readonly multipleToken: boolean;
  readonly children: readonly DocArgument[];
}

/** A command's name as sent (`['OBJECT', 'ENCODING']` for a subcommand) and its grammar. */
export interface DocCommand {
  readonly name: string;
  readonly words: readonly string[];
  readonly grammar: readonly DocArgument[];
}

/** How a sample picks: omit or include optional parts, how many repeats, which `oneof` branch. */
export interface SampleChoices {
  optional(): boolean;
  repeats(): number;
  branch(count: number): number;
  integer(): string;
}

/** Every command and subcommand of a RESP2 `COMMAND DOCS` reply. */
export function docCommands(reply: unknown): DocCommand[] {
  const out: DocCommand[] = [];
  const list = reply as unknown[];
  for (let i = 0; i + 1 < list.length; i += 2) collect(String(list[i]), fields(list[i + 1]), out);
  return out;
}

function collect(name: string, doc: Map<string, unknown>, out: DocCommand[]): void {
  const subcommands = doc.get('subcommands');
  if (Array.isArray(subcommands) && subcommands.length > 0) {
    for (let i = 0; i + 1 < subcommands.length; i += 2) {
      collect(String(subcommands[i]), fields(subcommands[i + 1]), out);
    }
    return;
  }
  const words = name.split('|').map((w) => w.toUpperCase());
  const grammar = ((doc.get('arguments') as unknown[] | undefined) ?? []).map(docArgument);
  out.push({ name, words, grammar });
}

function docArgument(raw: unknown): DocArgument {
  const f = fields(raw);
  const flags = ((f.get('flags') as unknown[] | undefined) ?? []).map(String);
  const token = f.get('token');
  return {
    type: String(f.get('type')),
    ...(token === undefined ? {} : { token: String(token) }),
    optional: flags.includes('optional'),
    multiple: flags.includes('multiple'),
    multipleToken: flags.includes('multiple_token'),
    children: ((f.get('arguments') as unknown[] | undefined) ?? []).map(docArgument),
  };
}

function fields(raw: unknown): Map<string, unknown> {
  const list = raw as unknown[];
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < list.length; i += 2) map.set(String(list[i]), list[i + 1]);
  return map;
}

/** One argument list for `command`, name first; `unique` numbers the words. */
export function sampleCall(command: DocCommand, choices: SampleChoices, unique: () => number): string[] {
  const args = [...command.words];
  for (const arg of command.grammar) emit(arg, choices, unique, args);
  return args;
}

function emit(arg: DocArgument, choices: SampleChoices, unique: () => number, out: string[]): void {
  if (arg.optional && !choices.optional()) return;
  const times = arg.multiple ? choices.repeats() : 1;
  for (let n = 0; n < times; n++) {
    if (arg.token !== undefined && (n === 0 || arg.multipleToken)) out.push(arg.token);
    emitValue(arg, choices, unique, out);
  }
}

function emitValue(arg: DocArgument, choices: SampleChoices, unique: () => number, out: string[]): void {
  switch (arg.type) {
    case 'pure-token':
      return;
    case 'oneof': {
      const child = arg.children[choices.branch(arg.children.length)];
      if (child !== undefined) emit({ ...child, optional: false }, choices, unique, out);
      return;
    }
    case 'block':
      for (const child of arg.children) emit(child, choices, unique, out);
      return;
    case 'integer':
    case 'unix-time':
      out.push(choices.integer());
      return;
    case 'double':
      out.push('1.5');
      return;
    default:
      // key, string, pattern: a word no keyword looks like.
      out.push(`${arg.type[0]}${unique()}w`);
  }
}
