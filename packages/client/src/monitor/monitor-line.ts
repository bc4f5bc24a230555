/** One command the server ran, as a `MONITOR` line reports it. */
export interface MonitorEvent {
  /** When the server ran it: Unix time in seconds, to the microsecond. */
  readonly time: number;
  /** The database it ran in. */
  readonly db: number;
  /** Who sent it: `ip:port`, `unix:path`, or `lua` for a script's calls. */
  readonly source: string;
  /** The command and its arguments (bytes that are not UTF-8 become U+FFFD). */
  readonly args: string[];
  /** The line as the server sent it. */
  readonly line: string;
}

/**
 * Reads a `MONITOR` line: `1700000000.123456 [0 127.0.0.1:50000] "SET" "k" "v"`. The server
 * quotes each argument and escapes `\\`, `\"`, `\n`, `\r`, `\t`, `\a`, `\b` and every other byte
 * outside printable ASCII as `\xHH`. `undefined` for a line of another shape.
 */
export function parseMonitorLine(line: string): MonitorEvent | undefined {
  const space = line.indexOf(' ');
  if (space <= 0 || line[space + 1] !== '[') return undefined;
  const time = Number(line.slice(0, space));
  // The source may hold brackets itself (an IPv6 address): the first `] "` ends it.
  const end = line.indexOf('] "', space);
  if (Number.isNaN(time) || end < 0) return undefined;
  const inside = line.slice(space + 2, end);
  const dbEnd = inside.indexOf(' ');
  const db = Number(inside.slice(0, dbEnd));
  if (dbEnd <= 0 || !Number.isInteger(db)) return undefined;
  const args = quotedArgs(line, end + 2);
  if (args === undefined) return undefined;
  return { time, db, source: inside.slice(dbEnd + 1), args, line };
}

/** The `"…"` arguments from `at` to the end of the line, unescaped; `undefined` if malformed. */
function quotedArgs(line: string, at: number): string[] | undefined {
  const args: string[] = [];
  let i = at;
  while (i < line.length) {
    if (line[i] !== '"') return undefined;
    const bytes: number[] = [];
    i++;
    for (;;) {
      if (i >= line.length) return undefined;
      const c = line.charCodeAt(i);
      if (c === QUOTE) break;
      if (c !== BACKSLASH) {
        bytes.push(c);
        i++;
        continue;
      }
      const next = line[i + 1];
      if (next === 'x') {
        const byte = Number.parseInt(line.slice(i + 2, i + 4), 16);
        if (Number.isNaN(byte)) return undefined;
        bytes.push(byte);
        i += 4;
        continue;
      }
      const escaped = next === undefined ? undefined : ESCAPES[next];
      if (escaped === undefined) return undefined;
      bytes.push(escaped);
      i += 2;
    }
    args.push(Buffer.from(bytes).toString('utf8'));
    i++; // the closing quote
    if (line[i] === ' ') i++;
  }
  return args;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ESCAPES: Readonly<Record<string, number>> = {
  '\\': 0x5c,
  '"': 0x22,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  a: 0x07,
  b: 0x08,
};
