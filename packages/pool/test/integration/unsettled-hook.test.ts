import { type Command, RespProtocolError } from '@fusedis/resp';
import { describe, expect, it } from 'vitest';
import {
  Connection,
  ConnectionClosedError,
  InvalidOptionError,
  tcp,
  type UnsettledHook,
} from '../../src/index.js';
import { key, proxiedStandalone, sleep, standalone } from './helpers.js';

const link = proxiedStandalone();
const throughProxy = link.open;

interface Asked {
  readonly command: Command | readonly Command[];
  readonly written: boolean;
  readonly err: Error;
  readonly signal: AbortSignal | undefined;
}

describe('onUnsettled', () => {
  it('hands over unanswered commands when the connection dies; the promise follows the hook', async () => {
    const asked: Asked[] = [];
    const hook: UnsettledHook = (command, written, err, signal) => {
      asked.push({ command, written, err, signal });
      // Take over the GETs (written or not) and the batch; decline the rest.
      if (Array.isArray(command)) return Promise.resolve(['batch', 'replayed']);
      const cmd = command as Command;
      if (cmd.args[0] === 'GET') return Promise.resolve(`replayed ${String(cmd.args[1])}`);
      if (cmd.args[0] === 'ECHO') return Promise.reject(new Error('replay failed'));
      return undefined;
    };
    const connection = await throughProxy({ onUnsettled: hook });
    link.proxy.setMode('swallow-replies');
    const controller = new AbortController();
    const writtenGet = connection.send({ args: ['GET', 'a'] }, controller.signal);
    const writtenPush = connection.send({ args: ['RPUSH', key('hook'), 'x'] }).catch((e: unknown) => e);
    await sleep(30);
    const writtenGet2 = connection.send({ args: ['GET', 'b'] });
    const writtenBatch = connection.sendMany([{ args: ['GET', 'c'] }, { args: ['GET', 'd'] }]);
    await new Promise((resolve) => setImmediate(resolve)); // the tick's batch is written
    // Queued after that write: these two stay unwritten.
    const unwrittenEcho = connection.send({ args: ['ECHO', 'e'] }).catch((e: unknown) => e);
    const late = connection.send({ args: ['GET', 'f'] });
    connection.destroy();
    expect(await writtenGet).toBe('replayed a');
    expect(await writtenPush).toBeInstanceOf(ConnectionClosedError);
    expect(await writtenPush).toMatchObject({ written: true });
    expect(await writtenGet2).toBe('replayed b');
    expect(await writtenBatch).toEqual(['batch', 'replayed']);
    expect(await unwrittenEcho).toMatchObject({ message: 'replay failed' });
    expect(await late).toBe('replayed f');
    // Asked in order: the written ones (reply queue order), then the unwritten ones.
    expect(
      asked.map((a) => [a.written, Array.isArray(a.command) ? 'batch' : (a.command as Command).args[0]]),
    ).toEqual([
      [true, 'GET'],
      [true, 'RPUSH'],
      [true, 'GET'],
      [true, 'batch'],
      [false, 'ECHO'],
      [false, 'GET'],
    ]);
    expect(asked[0]?.signal).toBe(controller.signal);
    expect(asked[0]?.err).toBeInstanceOf(ConnectionClosedError);
    expect(asked[5]?.err).toMatchObject({ written: false });
    expect(asked[3]?.command).toEqual([{ args: ['GET', 'c'] }, { args: ['GET', 'd'] }]);
    // Handed over: aborting the original signal now changes nothing here.
    controller.abort();
    expect(connection.inFlight).toBe(0);
  });

  it('is not asked about commands that already timed out or were aborted', async () => {
    const asked: (Command | readonly Command[])[] = [];
    const connection = await throughProxy({
      onUnsettled: (command) => {
        asked.push(command);
        return undefined;
      },
    });
    link.proxy.setMode('swallow-replies');
    const timedOut = connection.send({ args: ['GET', 'x'], timeout: 20 }).catch((e: unknown) => e);
    const controller = new AbortController();
    const aborted = connection.send({ args: ['GET', 'y'] }, controller.signal).catch((e: unknown) => e);
    const waiting = connection.send({ args: ['GET', 'z'] }).catch((e: unknown) => e);
    await sleep(60);
    controller.abort();
    link.proxy.resetAll();
    await Promise.all([timedOut, aborted, waiting]);
    expect(asked).toEqual([{ args: ['GET', 'z'] }]);
    expect(await waiting).toMatchObject({ written: true });
  });

  it('passes the RespProtocolError that poisoned the stream', async () => {
    const errors: Error[] = [];
    const connection = await throughProxy({
      onUnsettled: (_command, _written, err) => {
        errors.push(err);
        return undefined;
      },
    });
    const blocked = connection.send({ args: ['BLPOP', key('p'), 0], timeout: 0 }).catch((e: unknown) => e);
    await sleep(30);
    link.proxy.injectToClients('?not resp\r\n');
    const err = await blocked;
    expect(err).toBeInstanceOf(RespProtocolError);
    expect(errors).toEqual([err]);
  });

  it('must be a function', async () => {
    const { host, port } = standalone();
    await expect(
      Connection.open({ transport: tcp({ host, port }), onUnsettled: 'no' as unknown as UnsettledHook }),
    ).rejects.toBeInstanceOf(InvalidOptionError);
  });
});
