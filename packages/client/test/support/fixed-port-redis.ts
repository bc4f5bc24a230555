import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findServers } from '@fusedis/test-harness';

/**
 * A `redis-server` on a port the test chooses, so it can be stopped and started again on the same
 * port (the harness's `startRedis` always picks a new free port and cannot do that).
 */
export interface FixedPortRedis {
  readonly port: number;
  /** Starts the server (again) on `port` and resolves once it answers PING. */
  start(): Promise<void>;
  /** Kills the server (SIGKILL: a crash, no goodbye) and waits for it to exit. */
  kill(): Promise<void>;
  /** Kills it if running and removes its folder. */
  stop(): Promise<void>;
}

export async function fixedPortRedis(port: number): Promise<FixedPortRedis> {
  const { redisServer } = await findServers();
  const dir = await mkdtemp(join(tmpdir(), 'fusedis-client-restart-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ];
    child = spawn(redisServer, args, { stdio: 'ignore' });
    child.unref();
    const proc = child;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await pong(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await sleep(20);
    }
  };
  const kill = async (): Promise<void> => {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    start,
    kill,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('+PONG')));
  });
}
