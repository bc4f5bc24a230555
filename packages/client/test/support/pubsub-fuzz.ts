import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultProxy } from '@fusedis/test-harness';
import fc from 'fast-check';
import { expect } from 'vitest';
import { type Client, RespProtocolError } from '../../src/index.js';
import { WRITTEN_SAYERS } from './fault-fuzz.js';
import { type Fault, faultTargetArb, injectFault } from './inject-fault.js';
import { settleAll, track } from './settle.js';

// A subscriber behind fault proxies while a direct publisher publishes numbered messages, and the
// subscriber's own commands (RESP3: on the same connection) read a known value. Pub/sub may lose
// what is published while a link is down, but nothing else: each message reaches only the
// listeners of its channel, pattern or shard channel, at most once, in publishing order; a
// command's reply is never taken for a message or the other way round; and once the faults stop,
// every subscription is back and delivers again. Names carry `{fz<i>}` hash tags, so on a cluster
// the shard channels live on different shards.

/** Channels and shard channels of each kind. */
const CHANNELS = 3;

interface Wave {
  /** Messages published to each channel in this wave. */
  readonly messages: number;
  /** GETs the subscriber sends right after they are published. */
  readonly reads: number;
  readonly fault: Fault;
  /** Which proxy the fault hits (an index), or every one. */
  readonly target: number | 'all';
  readonly hold: number;
}

interface PubSubScenario {
  readonly protocol: 2 | 3;
  readonly waves: readonly Wave[];
}

/** Scenarios over `proxies` fault proxies; `protocols` the subscriber may speak. */
function pubSubScenarioArb(proxies: number, protocols: readonly (2 | 3)[]): fc.Arbitrary<PubSubScenario> {
  return fc.record({
    protocol: fc.constantFrom(...protocols),
    waves: fc.array(
      fc.record({
        messages: fc.integer({ min: 0, max: 20 }),
        reads: fc.integer({ min: 0, max: 20 }),
        fault: fc.constantFrom<Fault>('none', 'reset', 'swallow-then-reset', 'split', 'garbage', 'stall'),
        target: faultTargetArb(proxies),
        hold: fc.integer({ min: 0, max: 20 }),
      }),
      { minLength: 2, maxLength: 6 },
    ),
  });
}

/** Over all schedules: the messages the listeners heard (a run that heard none proved nothing). */
const PUBSUB_STATS = { delivered: 0 };

/** The value the subscriber's reads must get. */
const PROBE_KEY = '{fz0}:psfuzz:probe';
const PROBE_VALUE = 'probe';

/**
 * Runs random pub/sub schedules (`settings`: fast-check's `numRuns`, and a seed to replay) over
 * `proxies`, the subscriber speaking one of `protocols`; `connect` makes each schedule's
 * subscriber (and keeps it, to close), `name` prefixes its channels. Writes the probe its reads
 * check first (through `publisher`, which bypasses the proxies) and deletes it after; fails when
 * no message got through (the run proved nothing).
 */
export async function checkPubSubSchedules(
  proxies: readonly FaultProxy[],
  publisher: Client,
  settings: { numRuns: number; seed?: number },
  options: {
    readonly protocols: readonly (2 | 3)[];
    readonly name: string;
    readonly connect: (protocol: 2 | 3) => Client;
  },
): Promise<void> {
  let run = 0;
  const deliveredBefore = PUBSUB_STATS.delivered;
  await publisher.set(PROBE_KEY, PROBE_VALUE);
  try {
    await fc.assert(
      fc.asyncProperty(pubSubScenarioArb(proxies.length, options.protocols), async (scenario) => {
        const subscriber = options.connect(scenario.protocol);
        await runPubSubScenario(
          scenario,
          proxies,
          publisher,
          subscriber,
          `${options.name}:${process.pid}:${++run}`,
        );
      }),
      { ...settings, endOnFailure: true },
    );
  } finally {
    await publisher.del(PROBE_KEY);
  }
  expect(PUBSUB_STATS.delivered).toBeGreaterThan(deliveredBefore);
}

function expectTyped(reason: unknown): void {
  if (reason instanceof RespProtocolError) return;
  const typed = WRITTEN_SAYERS.some((type) => reason instanceof type);
  expect(typed, `untyped rejection: ${String(reason)}`).toBe(true);
}

/** A listener's record: the numbers it heard. */
type Heard = number[];

/**
 * Runs one scenario: `subscriber` (reaching the servers through `proxies`) subscribes, `publisher`
 * (direct) publishes, the faults hit between the waves; then the checks above.
 */
async function runPubSubScenario(
  scenario: PubSubScenario,
  proxies: readonly FaultProxy[],
  publisher: Client,
  subscriber: Client,
  base: string,
): Promise<void> {
  for (const proxy of proxies) proxy.setMode('pass');
  subscriber.on('error', () => {}); // connection errors are expected here
  const channels = Array.from({ length: CHANNELS }, (_, i) => `${base}:{fz${i}}:c`);
  const shards = Array.from({ length: CHANNELS }, (_, i) => `${base}:{fz${i}}:s`);
  const pattern = `${base}:*:c`;
  const heard: Heard[] = channels.map(() => []);
  const heardByPattern: Heard[] = channels.map(() => []);
  const heardByShard: Heard[] = shards.map(() => []);
  // Listeners only record (an exception thrown in one would surface as an uncaught error).
  const misdelivered: string[] = [];
  const record = (into: Heard | undefined, message: string, on: string, expected: string): void => {
    const [from, seq] = message.split('#');
    if (from !== expected || on !== expected || into === undefined)
      misdelivered.push(`${message} on ${on} reached the listener of ${expected}`);
    into?.push(Number(seq));
  };
  await Promise.all([
    ...channels.map((channel, i) =>
      subscriber.subscribe(channel, (message, on) => record(heard[i], message, on, channel)),
    ),
    ...shards.map((shard, i) =>
      subscriber.ssubscribe(shard, (message, on) => record(heardByShard[i], message, on, shard)),
    ),
    subscriber.psubscribe(pattern, (message, on, by) => {
      const i = channels.indexOf(on);
      if (by !== pattern) misdelivered.push(`${message} on ${on} by ${by}`);
      record(heardByPattern[i], message, on, channels[i] ?? on);
    }),
  ]);

  /** Messages published so far (the next number), on every channel alike. */
  let sent = 0;
  const reads: Promise<void>[] = [];
  const publish = async (count: number): Promise<void> => {
    for (let n = 0; n < count; n++, sent++)
      await Promise.all([
        ...channels.map((channel) => publisher.publish(channel, `${channel}#${sent}`)),
        ...shards.map((shard) => publisher.spublish(shard, `${shard}#${sent}`)),
      ]);
  };
  for (const wave of scenario.waves) {
    await publish(wave.messages);
    // The reads go out just before the fault, so a reset or a swallow meets some in flight.
    for (let r = 0; r < wave.reads; r++)
      reads.push(
        track(subscriber.get(PROBE_KEY)).then((result) => {
          if (result.status === 'fulfilled') expect(result.value).toBe(PROBE_VALUE);
          else expectTyped(result.reason);
        }),
      );
    const targets = wave.target === 'all' ? proxies : [proxies[wave.target] as FaultProxy];
    // The garbage byte waits for the reads and a quiet 50 ms (no message under way either).
    await injectFault(targets, wave.fault, wave.hold, {
      quiet: () => Promise.allSettled(reads).then(() => sleep(50)),
      stall: (ms) => publisher.call('DEBUG', 'SLEEP', String(ms / 1000)),
    });
  }
  for (const proxy of proxies) proxy.setMode('pass');
  await settleAll(reads, 30_000);

  // Resumed: a message published now reaches every listener (the resubscribe may still be on its
  // way, so publish again until it does).
  const first = sent;
  const all = [...heard, ...heardByPattern, ...heardByShard];
  const deadline = Date.now() + 15_000;
  while (!all.every((numbers) => (numbers.at(-1) ?? -1) >= first)) {
    expect(Date.now() < deadline, 'subscriptions not restored within 15 s').toBe(true);
    await publish(1);
    await sleep(20);
  }
  await subscriber.quit();
  expect(misdelivered).toEqual([]);

  // At most once and in order: each listener's numbers strictly increase.
  for (const numbers of all) {
    PUBSUB_STATS.delivered += numbers.length;
    for (let k = 1; k < numbers.length; k++)
      expect(numbers[k] as number, `out of order or twice: ${numbers.join(',')}`).toBeGreaterThan(
        numbers[k - 1] as number,
      );
  }
}
