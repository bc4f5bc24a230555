import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/index.js';
import { key, Opened } from './helpers.js';

const opened = new Opened();
afterEach(() => opened.closeAll());

describe('Connection.monitor()', () => {
  it('hands every line to the listener, and refuses commands from then on', async () => {
    const monitoring = await opened.open();
    const other = await opened.open();
    const name = key('monitor');
    const lines: string[] = [];
    await monitoring.monitor((line) => {
      if (String(line).includes(name)) lines.push(String(line));
    });
    await expect(monitoring.send({ args: ['PING'] })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(monitoring.sendMany([{ args: ['PING'] }])).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(monitoring.monitor(() => {})).rejects.toThrow(/already monitoring/);
    for (let i = 0; i < 100; i++) await other.send({ args: ['SET', name, String(i)] });
    const deadline = Date.now() + 5_000;
    while (lines.length < 100 && Date.now() < deadline) await sleep(10);
    expect(lines).toHaveLength(100);
    expect(lines[99]).toMatch(new RegExp(`"SET" "${name}" "99"$`));
    await monitoring.close();
    expect(monitoring.closed).toBe(true);
  });

  it('is refused while commands are in flight, and the connection keeps serving', async () => {
    const connection = await opened.open();
    const pong = connection.send({ args: ['PING'] });
    await expect(connection.monitor(() => {})).rejects.toThrow(/no command in flight/);
    expect(await pong).toBe('PONG');
    expect(await connection.send({ args: ['PING'] })).toBe('PONG');
  });
});
