/** Which peer runs on which case: the cells of the table, and the task each child gets. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECODE_CASES, ENCODE_CASES } from './cases.js';
import type { RunOptions } from './options.js';
import type { CellKey, PeerOutcome } from './report.js';
import type { Task } from './task.js';

export interface PeerInfo {
  readonly id: string;
  readonly label: string;
  /** Left out of the targets: the frame-scan floor and the string-only encoders. */
  readonly reference: boolean;
  readonly needsResp: boolean;
  readonly resp3: boolean;
  /** Run only when asked for by name or with `--peers all`. */
  readonly optIn?: boolean;
}

const DECODE_PEERS: readonly PeerInfo[] = [
  { id: 'fusedis', label: 'fusedis JS decoder', reference: false, needsResp: true, resp3: true },
  // @fusedis/native-codec: compared with the JS decoder (issue 6), left out of issue 2's targets.
  { id: 'native', label: 'fusedis native decoder', reference: true, needsResp: true, resp3: true },
  { id: 'auto', label: 'fusedis auto decoder', reference: true, needsResp: true, resp3: true },
  { id: 'redis-parser', label: 'redis-parser 3.0.0', reference: false, needsResp: false, resp3: false },
  { id: 'ioredis', label: 'ioredis 6.0.0', reference: false, needsResp: false, resp3: true },
  // The same decoder told to make strings itself: isolates the cost of its down-levelled #fields.
  {
    id: 'ioredis-str',
    label: 'ioredis 6.0.0, string mapping',
    reference: false,
    needsResp: false,
    resp3: true,
    optIn: true,
  },
  { id: 'node-redis', label: '@redis/client 6.3.1', reference: false, needsResp: false, resp3: true },
  { id: 'frame-scan', label: 'frame scan only', reference: true, needsResp: true, resp3: true },
];

const ENCODE_PEERS: readonly PeerInfo[] = [
  { id: 'fusedis', label: 'fusedis', reference: false, needsResp: true, resp3: true },
  { id: 'ioredis', label: 'ioredis 6.0.0 → Buffer', reference: false, needsResp: false, resp3: true },
  {
    id: 'node-redis',
    label: '@redis/client 6.3.1 → Buffer',
    reference: false,
    needsResp: false,
    resp3: true,
  },
  { id: 'ioredis-str', label: 'ioredis 6.0.0, string only', reference: true, needsResp: false, resp3: true },
  {
    id: 'node-redis-str',
    label: '@redis/client 6.3.1, strings only',
    reference: true,
    needsResp: false,
    resp3: true,
  },
];

export type MutableOutcome = PeerOutcome & {
  samples: number[];
  errors: string[];
  check?: PeerOutcome['check'];
};

export interface Cell {
  readonly key: CellKey;
  readonly peers: readonly PeerInfo[];
  readonly outcomes: Map<string, MutableOutcome>;
}

function outcomeOf(p: PeerInfo, na: string | undefined): MutableOutcome {
  return {
    peer: p.id,
    label: p.label,
    reference: p.reference,
    samples: [],
    errors: [],
    ...(na === undefined ? {} : { na }),
  };
}

/** The cells of this run, in table order; `respLoaded` false leaves fusedis and the frame scan out. */
export function planCells(options: RunOptions, respLoaded: boolean): Cell[] {
  const wanted = (p: PeerInfo): boolean =>
    (options.peers.length === 0
      ? p.optIn !== true
      : options.peers.includes('all') || options.peers.includes(p.id)) &&
    (respLoaded || !p.needsResp);
  const cells: Cell[] = [];
  for (const c of DECODE_CASES) {
    if (!options.cases.includes(c.id)) continue;
    for (const mode of options.modes) {
      const peers = DECODE_PEERS.filter(wanted);
      const outcomes = new Map(
        peers.map((p) => [p.id, outcomeOf(p, c.resp3 && !p.resp3 ? 'RESP2-only parser' : undefined)]),
      );
      const key: CellKey = {
        kind: 'decode',
        caseId: c.id,
        mode,
        title: c.title,
        values: c.values,
        bytes: c.bytes,
      };
      cells.push({ key, peers, outcomes });
    }
  }
  for (const c of ENCODE_CASES) {
    if (!options.cases.includes(c.id)) continue;
    const peers = ENCODE_PEERS.filter(wanted);
    const outcomes = new Map(peers.map((p) => [p.id, outcomeOf(p, undefined)]));
    const key: CellKey = {
      kind: 'encode',
      caseId: c.id,
      mode: undefined,
      title: c.title,
      values: 0,
      bytes: 0,
    };
    cells.push({ key, peers, outcomes });
  }
  return cells;
}

/** Peers that really run in a cell (n/a ones are shown, not run). */
export function livePeers(cell: Cell): PeerInfo[] {
  return cell.peers.filter((p) => cell.outcomes.get(p.id)?.na === undefined);
}

export function taskFor(
  cell: Cell,
  peer: string,
  options: RunOptions,
  check: boolean,
  dataDir: string,
): Task {
  const it = options.iterations[cell.key.caseId];
  const base = { warmup: it.warmup, measured: it.measured, check };
  if (cell.key.kind === 'encode') return { ...base, kind: 'encode', caseId: cell.key.caseId, peer } as Task;
  const dataFile = join(dataDir, `${cell.key.caseId}.bin`);
  return { ...base, kind: 'decode', caseId: cell.key.caseId, mode: cell.key.mode, peer, dataFile } as Task;
}

/**
 * One task per cell × chosen peer (fusedis unless `--peers` names others, `all` for every one),
 * named `<case>[-<mode>]-<peer>`, for the runs that look inside a child instead of timing it
 * (`--profile`, `--deopts`).
 */
export function untimedTasks(
  cells: readonly Cell[],
  options: RunOptions,
  dataDir: string,
): { name: string; task: Task }[] {
  const peers = options.peers.length === 0 ? ['fusedis'] : options.peers;
  return cells.flatMap((cell) =>
    livePeers(cell)
      .filter((p) => peers.includes(p.id) || peers.includes('all'))
      .map((peer) => ({
        name: `${cell.key.caseId}${cell.key.mode === undefined ? '' : `-${cell.key.mode}`}-${peer.id}`,
        task: taskFor(cell, peer.id, options, false, dataDir),
      })),
  );
}

/** Writes each decode case's bytes once, so children read them instead of rebuilding them. */
export function writeCaseData(cells: readonly Cell[], dataDir: string): void {
  for (const c of DECODE_CASES) {
    if (cells.some((cell) => cell.key.caseId === c.id))
      writeFileSync(join(dataDir, `${c.id}.bin`), c.build());
  }
}
