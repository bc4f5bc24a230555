/**
 * The statistics block every query reply ends with, as typed numbers. Counters the server did not
 * report are 0; `raw` keeps the server's lines as sent (`'Nodes created: 2'`).
 */
export class GraphStatistics {
  labelsAdded = 0;
  labelsRemoved = 0;
  nodesCreated = 0;
  nodesDeleted = 0;
  propertiesSet = 0;
  propertiesRemoved = 0;
  relationshipsCreated = 0;
  relationshipsDeleted = 0;
  indicesCreated = 0;
  indicesDeleted = 0;
  constraintsCreated = 0;
  constraintsDeleted = 0;
  /** The plan came from the server's query cache (`Cached execution: 1`). */
  cachedExecution = false;
  /** Server-side execution time, in milliseconds. */
  executionTime = 0;
  /** The server's lines, unparsed. */
  readonly raw: readonly string[];

  constructor(raw: readonly string[]) {
    this.raw = raw;
  }
}

type Counter = Exclude<keyof GraphStatistics, 'raw' | 'cachedExecution' | 'executionTime'>;

const COUNTERS: ReadonlyMap<string, Counter> = new Map<string, Counter>([
  ['Labels added', 'labelsAdded'],
  ['Labels removed', 'labelsRemoved'],
  ['Nodes created', 'nodesCreated'],
  ['Nodes deleted', 'nodesDeleted'],
  ['Properties set', 'propertiesSet'],
  ['Properties removed', 'propertiesRemoved'],
  ['Relationships created', 'relationshipsCreated'],
  ['Relationships deleted', 'relationshipsDeleted'],
  ['Indices created', 'indicesCreated'],
  ['Indices deleted', 'indicesDeleted'],
  ['Constraints created', 'constraintsCreated'],
  ['Constraints deleted', 'constraintsDeleted'],
]);

/** Parses the statistics lines (`'Name: value'`); lines it does not know stay in `raw` only. */
export function parseStatistics(lines: readonly unknown[]): GraphStatistics {
  const raw = lines.map(String);
  const stats = new GraphStatistics(raw);
  for (const line of raw) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon);
    const value = Number.parseFloat(line.slice(colon + 1));
    if (Number.isNaN(value)) continue;
    const counter = COUNTERS.get(name);
    if (counter !== undefined) stats[counter] = value;
    else if (name === 'Cached execution') stats.cachedExecution = value === 1;
    else if (name === 'Query internal execution time') stats.executionTime = value;
  }
  return stats;
}
