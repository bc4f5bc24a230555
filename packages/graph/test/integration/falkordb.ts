import { inject } from 'vitest';
import { SocketExecutor } from '../support/socket-executor.js';

/** The FalkorDB server of the graph:integration project (see internal/test-harness global setup). */
export function falkordbPort(): number {
  const endpoint = inject('servers').falkordb;
  if (endpoint === undefined) throw new Error('the global setup started no FalkorDB server for this project');
  return endpoint.port;
}

/** A socket executor on the project's FalkorDB; the caller closes it. */
export function openExecutor(): Promise<SocketExecutor> {
  return SocketExecutor.open(falkordbPort());
}

let counter = 0;
/** A graph name no other test file uses. */
export function uniqueGraphName(prefix: string): string {
  counter++;
  return `${prefix}:${process.pid}:${counter}:${Math.random().toString(36).slice(2, 8)}`;
}
