import { createClient } from '../../src/index.js';

/** `CLUSTER GETKEYSINSLOT` on one node, through a client of its own (for the harness's slot moves). */
export async function keysInSlot(port: number, slot: number): Promise<readonly string[]> {
  const node = createClient({ host: '127.0.0.1', port });
  try {
    return (await node.call('CLUSTER', 'GETKEYSINSLOT', slot, 1000)) as string[];
  } finally {
    await node.quit();
  }
}
