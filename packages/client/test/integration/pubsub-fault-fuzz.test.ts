import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultProxy, startFaultProxy } from '@fusedis/test-harness';
import { fastCheckRuns } from '@fusedis/test-harness/decoder-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Client, ConnectionClosedError, createClient, TimeoutError } from '../../src/index.js';
import { settleAll, track } from '../support/settle.js';

// A subscriber behind a fault proxy while a direct publisher publishes numbered messages, and the
// subscriber's own commands (RESP3: on the same connection) read known values. Pub/sub may lose
// what is published while a link is down, but nothing else: each message reaches only the
// listeners of its channel or pattern, at most once, in publishing order; a command's reply is
// never taken for a message or the other way round; and once the faults stop, the subscriptions
// are back and deliver again.

const server = inject('servers').standalone;
const { base: RUNS, runs } = fastCheckRuns(10);
const CHANNELS = 3;

type Fault = 'none' | 'reset' | 'swallow-then-reset' | 'split' | 'garbage';

interface Wave {
  /** Messages published to each channel in this wave. */
  readonly messages: number;
  /** GETs the subscriber sends while they are published. */
  readonly reads: number;
  readonly fault: Fault;
  readonly hold: number;
}

interface Scenario {
  readonly protocol: 2 | 3;
  readonly waves: readonly Wave[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  protocol: fc.constantFrom(2 as const, 3 as const),
  waves: fc.array(
    fc.record({
      messages: fc.integer({ min: 0, max: 20 }),
      reads: fc.integer({ min: 0, max: 20 }),
      fault: fc.constantFrom<Fault>('none', 'reset', 'swallow-then-reset', 'split', 'garbage'),
      hold: fc.integer({ min: 0, max: 20 }),
    }),
    { minLength: 2, maxLength: 6 },
  ),
});

/** Over all schedules: the subscriber's reconnections, and the messages its listeners heard. */
const STATS = { reconnects: 0, delivered: 0 };
const opened: Client[] = [];

function expectTyped(reason: unknown): void {
  const typed = reason instanceof ConnectionClosedError || reason instanceof TimeoutError;
  expect(typed, `untyped rejection: ${String(reason)}`).toBe(true);
}

describe('pub/sub under random faults (fast-check, through a fault proxy)', () => {
  let proxy: FaultProxy;
  let publisher: Client;
  beforeAll(async () => {
    proxy = await startFaultProxy({ host: server.host, port: server.port });
    publisher = createClient({ host: server.host, port: server.port });
    await publisher.set('psfuzz:probe', 'probe');
  });
  afterAll(async () => {
    await Promise.all(opened.map((client) => client.disconnect()));
    await publisher.del('psfuzz:probe');
    await publisher.quit();
    await proxy.close();
  });

  it(
    `delivers each message at most once, in order, to its own listeners, and resumes (${RUNS} schedules)`,
    async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          run++;
          await runScenario(proxy, publisher, scenario, `psfuzz:${process.pid}:${run}`);
        }),
        { ...runs(RUNS), endOnFailure: true },
      );
      // The faults reached the subscriber, and messages got through.
      // The faults broke links (reads are replayed, being idempotent, so they seldom reject), and
      // messages got through.
      expect(STATS.reconnects).toBeGreaterThan(0);
      expect(STATS.delivered).toBeGreaterThan(0);
    },
    Math.max(60_000, RUNS * 3_000),
  );
});

async function runScenario(
  proxy: FaultProxy,
  publisher: Client,
  scenario: Scenario,
  base: string,
): Promise<void> {
  proxy.setMode('pass');
  const subscriber = createClient({
    port: proxy.port,
    protocol: scenario.protocol,
    retryStrategy: () => 5,
    commandTimeout: 2_000,
    connectTimeout: 1_000,
  });
  opened.push(subscriber);
  subscriber.on('error', () => {}); // connection errors are expected here
  subscriber.on('reconnecting', () => STATS.reconnects++);
  const channels = Array.from({ length: CHANNELS }, (_, i) => `${base}:c${i}`);
  /** Per channel: the numbers heard by its channel listener, and by the pattern listener. */
  const heard = channels.map(() => [] as number[]);
  const heardByPattern = channels.map(() => [] as number[]);
  // Listeners only record (an exception thrown in one would surface as an uncaught error).
  const misdelivered: string[] = [];
  const numberIn = (message: string, channel: string): number => {
    const [from, seq] = message.split('#');
    if (from !== channel) misdelivered.push(`${message} reached ${channel}`);
    return Number(seq);
  };
  await Promise.all(
    channels.map((channel, i) =>
      subscriber.subscribe(channel, (message, on) => {
        if (on !== channel) misdelivered.push(`${message} on ${on} reached the listener of ${channel}`);
        heard[i]?.push(numberIn(message, channel));
      }),
    ),
  );
  await subscriber.psubscribe(`${base}:c*`, (message, on, pattern) => {
    const i = channels.indexOf(on);
    if (pattern !== `${base}:c*` || i < 0) misdelivered.push(`${message} on ${on} by ${pattern}`);
    heardByPattern[i]?.push(numberIn(message, on));
  });

  /** Messages published so far (the next number) on every channel alike. */
  let sent = 0;
  const reads: Promise<void>[] = [];
  const publish = async (count: number): Promise<void> => {
    for (let n = 0; n < count; n++, sent++)
      await Promise.all(channels.map((channel) => publisher.publish(channel, `${channel}#${sent}`)));
  };
  for (const wave of scenario.waves) {
    await publish(wave.messages);
    // The reads go out just before the fault, so a reset or a swallow meets some in flight.
    for (let r = 0; r < wave.reads; r++)
      reads.push(
        track(subscriber.get('psfuzz:probe')).then((result) => {
          if (result.status === 'fulfilled') expect(result.value).toBe('probe');
          else expectTyped(result.reason);
        }),
      );
    await injectFault(proxy, wave, () => settleAll<unknown>(reads, 30_000));
  }
  proxy.setMode('pass');
  await settleAll(reads, 30_000);

  // Resumed: a message published now reaches every listener (the resubscribe may still be on its
  // way, so publish again until it does).
  const first = sent;
  const deadline = Date.now() + 10_000;
  const resumed = (): boolean =>
    [...heard, ...heardByPattern].every((numbers) => (numbers.at(-1) ?? -1) >= first);
  while (!resumed()) {
    expect(Date.now() < deadline, 'subscriptions not restored within 10 s').toBe(true);
    await publish(1);
    await sleep(20);
  }
  await subscriber.quit();
  expect(misdelivered).toEqual([]);

  // At most once and in order: each listener's numbers strictly increase.
  for (const numbers of [...heard, ...heardByPattern]) {
    STATS.delivered += numbers.length;
    for (let k = 1; k < numbers.length; k++)
      expect(numbers[k] as number, `out of order or twice: ${numbers.join(',')}`).toBeGreaterThan(
        numbers[k - 1] as number,
      );
  }
}

/** Applies the wave's fault after its messages were published; `settle` waits for the reads. */
async function injectFault(proxy: FaultProxy, wave: Wave, settle: () => Promise<unknown>): Promise<void> {
  switch (wave.fault) {
    case 'none':
      await sleep(wave.hold);
      return;
    case 'reset':
      await sleep(wave.hold);
      proxy.resetAll();
      return;
    case 'swallow-then-reset':
      proxy.setMode('swallow-replies');
      await sleep(wave.hold);
      proxy.resetAll();
      proxy.setMode('pass');
      return;
    case 'split':
      proxy.setMode('split');
      await sleep(wave.hold);
      proxy.setMode('pass');
      return;
    case 'garbage':
      // Only on a quiet link: a byte injected inside a message would be its data, not an error.
      await settle();
      await sleep(50);
      proxy.injectToClients(Buffer.from([0x01, 0x0d, 0x0a]));
      await sleep(wave.hold);
      return;
  }
}
