import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import {
  findServers,
  NoFreePortError,
  REPO_ROOT,
  type RedisServer,
  startRedis,
  trackedCount,
  unwellServers,
  waitFor,
  withFreshPort,
} from '../../src/index.js';
import { INFO_MODULES, PING, rawRequest } from '../../src/raw-request.js';
import { runCommand } from '../../src/run-command.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'start-and-hang.ts');
const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

/** True while `pid` is a running process (a zombie has finished running). */
function isRunning(pid: number): boolean {
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(25);
  }
  return condition();
}

/** Runs the fixture in its own Node process and resolves with the server it started. */
function startInChild(): Promise<{ child: ReturnType<typeof spawn>; server: { pid: number; dir: string } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolve({ child, server: JSON.parse(line) });
    });
    child.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
  });
}

describe('the global setup', () => {
  it('provides a standalone server that answers PING and reports its version', async () => {
    const { host, port, version } = inject('servers').standalone;
    expect(host).toBe('127.0.0.1');
    expect(await rawRequest(port, PING, host)).toEqual({ type: '+', text: 'PONG' });
    expect(version).toBe((await findServers()).redisVersion);
  });
});

describe('findServers', () => {
  it('returns one shared result to concurrent callers', async () => {
    const [a, b] = await Promise.all([findServers(), findServers()]);
    expect(a).toBe(b);
    expect(a.redisVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(a.redisServer)).toBe(true);
  });

  it('refuses an invalid FUSEDIS_REDIS_SERVER instead of quietly using another server', async () => {
    const result = await runCommand(process.execPath, ['--import', 'tsx', CLI, 'ensure'], {
      env: { FUSEDIS_REDIS_SERVER: '/nonexistent/redis-server' },
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('FUSEDIS_REDIS_SERVER: no executable at /nonexistent/redis-server');
  });
});

describe('startRedis', () => {
  it('starts servers on distinct free ports, each in its own folder, and stops them cleanly', async () => {
    const before = trackedCount();
    const servers = await Promise.all([startRedis(), startRedis(), startRedis()]);
    expect(new Set(servers.map((s) => s.port)).size).toBe(3);
    expect(new Set(servers.map((s) => s.dir)).size).toBe(3);
    expect(trackedCount()).toBe(before + 3);
    for (const server of servers) {
      expect(await rawRequest(server.port, PING)).toEqual({ type: '+', text: 'PONG' });
      expect(existsSync(server.dir)).toBe(true);
    }
    await Promise.all(servers.map((s) => s.stop()));
    for (const server of servers) {
      expect(isRunning(server.pid)).toBe(false);
      expect(existsSync(server.dir)).toBe(false);
      await expect(rawRequest(server.port, PING)).rejects.toThrow();
    }
    expect(trackedCount()).toBe(before);
  });

  it('treats stop() as idempotent', async () => {
    const server = await startRedis();
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    expect(isRunning(server.pid)).toBe(false);
  });

  it('counts a server that wants AUTH as up', async () => {
    const server = await startRedis({ args: ['--requirepass', 'secret'] });
    try {
      const reply = await rawRequest(server.port, PING);
      expect(reply.type).toBe('-');
      expect(reply.text).toMatch(/^NOAUTH/);
    } finally {
      await server.stop();
    }
  });

  it('cleans up after a server that died on its own', async () => {
    const server = await startRedis();
    process.kill(server.pid, 'SIGKILL');
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
  });

  it('names the servers that crashed or stalled, with their logs, for a failing test to print', async () => {
    const [healthy, stalled, crashed, stopped] = await Promise.all([
      startRedis(),
      startRedis(),
      startRedis(),
      startRedis(),
    ]);
    const servers = [healthy, stalled, crashed, stopped] as RedisServer[];
    const ours = async (): Promise<string[]> =>
      (await unwellServers()).filter((report) => servers.some((s) => report.includes(`port ${s.port} `)));
    try {
      expect(await ours()).toEqual([]);
      process.kill((stalled as RedisServer).pid, 'SIGSTOP');
      process.kill((crashed as RedisServer).pid, 'SIGKILL');
      await (stopped as RedisServer).stop();
      await waitFor('the killed server to exit', async () => (crashed as RedisServer).stopped);
      const reports = await ours();
      expect(reports).toHaveLength(2);
      const [first, second] = reports.sort((a, b) =>
        a.includes('exited') ? -1 : b.includes('exited') ? 1 : 0,
      );
      expect(first).toMatch(
        new RegExp(
          `^redis-server pid ${crashed?.pid} on port ${crashed?.port} exited \\(signal SIGKILL\\) without stop\\(\\); its last lines:\\n[^]*Ready to accept connections`,
        ),
      );
      expect(second).toMatch(
        new RegExp(
          `^redis-server pid ${stalled?.pid} on port ${stalled?.port} did not answer PING within 1 s; its last lines:\\n[^]*Ready to accept connections`,
        ),
      );
    } finally {
      process.kill((stalled as RedisServer).pid, 'SIGCONT');
      await Promise.all(servers.map((server) => server.stop()));
    }
    expect(await ours()).toEqual([]);
  });

  it('reports why when redis-server refuses its arguments', async () => {
    await expect(startRedis({ args: ['--no-such-option', 'x'] })).rejects.toThrow(
      /exited while starting[\s\S]*no-such-option/,
    );
  });

  it('holds no event-loop handle for a forgotten server', async () => {
    const server: RedisServer = await startRedis();
    const handles = process.getActiveResourcesInfo();
    // The child, its pipes and its watchdog are all unref'd; only vitest's own handles remain.
    expect(handles.filter((name) => name === 'ProcessWrap')).toEqual([]);
    await server.stop();
  });
});

describe('withFreshPort', () => {
  it('picks the extra port again when every main port startRedis tried was taken, up to three times', async () => {
    const picked: number[] = [];
    let next = 40_000;
    const pick = async (): Promise<number> => next++;
    const started = await withFreshPort(async (port) => {
      picked.push(port);
      if (picked.length < 3) throw new NoFreePortError(`port ${port} was taken`);
      return `server with extra port ${port}`;
    }, pick);
    expect(started).toBe('server with extra port 40002');
    expect(picked).toEqual([40_000, 40_001, 40_002]);

    const tries: number[] = [];
    const always = withFreshPort(async (port) => {
      tries.push(port);
      throw new NoFreePortError('taken');
    }, pick);
    await expect(always).rejects.toBeInstanceOf(NoFreePortError);
    expect(tries).toHaveLength(3);
  });

  it('lets any other failure through at once', async () => {
    let calls = 0;
    const failing = withFreshPort(async () => {
      calls++;
      throw new Error('redis-server exited while starting');
    });
    await expect(failing).rejects.toThrow('exited while starting');
    expect(calls).toBe(1);
  });
});

describe('servers die with the process that started them', () => {
  it.each(['SIGKILL', 'SIGTERM'] as const)('when that process gets %s', async (signal) => {
    const { child, server } = await startInChild();
    expect(isRunning(server.pid)).toBe(true);
    child.kill(signal);
    expect(await waitUntil(() => !isRunning(server.pid), 5_000)).toBe(true);
    expect(await waitUntil(() => !existsSync(server.dir), 5_000)).toBe(true);
  });
});

describe('FalkorDB', async () => {
  const { falkordbModule, description } = await findServers();
  const title = 'loads the falkordb.so module into redis-server';
  it.skipIf(falkordbModule === undefined)(
    falkordbModule === undefined ? `${title} (skipped: ${description})` : title,
    async () => {
      const server = await startRedis({ module: falkordbModule as string });
      try {
        const modules = (await rawRequest(server.port, INFO_MODULES)).text ?? '';
        expect(modules).toMatch(/module:name=graph,ver=\d+/);
      } finally {
        await server.stop();
      }
    },
  );
});
