import { describe, expect, it } from 'vitest';
import { parseClusterShards } from '../../src/cluster-topology.js';

// Node entries as redis-server 7.0.15 lists them with `tls-cluster yes`: both ports when the
// plaintext port is open, only `tls-port` when it runs with `--port 0`.
function shard(nodes: Record<string, unknown>[]) {
  return Object.assign(Object.create(null), { slots: [0, 16383], nodes });
}
const both = {
  id: 'm',
  port: 7000,
  'tls-port': 7100,
  ip: '127.0.0.1',
  endpoint: '127.0.0.1',
  role: 'master',
};
const tlsOnly = { id: 'm', 'tls-port': 7100, ip: '127.0.0.1', endpoint: '127.0.0.1', role: 'master' };
const plainOnly = { id: 'm', port: 7000, ip: '127.0.0.1', endpoint: '127.0.0.1', role: 'master' };

describe('parseClusterShards port choice', () => {
  it('takes tls-port for a TLS client and port for a plaintext one when a node lists both', () => {
    expect(parseClusterShards([shard([both])], 'x', true)[0]?.master.port).toBe(7100);
    expect(parseClusterShards([shard([both])], 'x', false)[0]?.master.port).toBe(7000);
    expect(parseClusterShards([shard([both])], 'x')[0]?.master.port).toBe(7000);
  });

  it('takes the only port a node lists, whatever the client speaks', () => {
    expect(parseClusterShards([shard([tlsOnly])], 'x', false)[0]?.master.port).toBe(7100);
    expect(parseClusterShards([shard([plainOnly])], 'x', true)[0]?.master.port).toBe(7000);
  });
});
