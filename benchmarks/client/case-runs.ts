/**
 * What one timed pass of each case does, for a client library and for the raw ceiling. Inputs
 * (key lists, pre-encoded buffers) are built in `prepare*`, before timing; checks run after it.
 */
import {
  B1_OPS,
  B2_SETS,
  B3_GETS,
  B7_USERS,
  B8_TRANSACTIONS,
  B8_TTL,
  b1Key,
  b2Key,
  b7Key,
  b8Key,
  type CaseId,
  HASH_FIELDS,
  HASH_KEY,
  hashField,
  LIST_ITEMS,
  LIST_KEY,
  listItem,
  STRING_KEYS,
  stringKey,
  stringValue,
} from './cases.js';
import type { BenchClient } from './peers/bench-client.js';
import type { RawConnection } from './raw-connection.js';
import { encodeCommands } from './resp-wire.js';

/** One prepared case: `run` is the timed pass, `check` inspects its result afterwards. */
export interface CaseRun {
  /** `durationMs` is b7's window; the others ignore it. Resolves with what `check` needs. */
  run(durationMs: number): Promise<unknown>;
  /** undefined when the result is right, else what is wrong. */
  check(result: unknown): string | undefined;
  /** b1: per-command latencies of the last pass, in µs. */
  latencies?(): Float64Array;
  /** b7: commands completed in the last pass. */
  ops?(): number;
}

const b1Values = (): string[] => Array.from({ length: B1_OPS / 2 }, (_, i) => stringValue(i));

function b7Loop(users: (user: number, stop: () => boolean) => Promise<number>): CaseRun & { ops(): number } {
  let done = 0;
  return {
    async run(durationMs) {
      let stopped = false;
      const timer = setTimeout(() => {
        stopped = true;
      }, durationMs);
      const stop = (): boolean => stopped;
      const counts = await Promise.all(Array.from({ length: B7_USERS }, (_, u) => users(u, stop)));
      clearTimeout(timer);
      done = counts.reduce((a, b) => a + b, 0);
      return done;
    },
    check: (result) => ((result as number) > 0 ? undefined : 'no command completed'),
    ops: () => done,
  };
}

const firstWrong = (values: unknown, expected: (i: number) => string, n: number): string | undefined => {
  if (!Array.isArray(values)) return `expected an array, got ${typeof values}`;
  if (values.length !== n) return `expected ${n} values, got ${values.length}`;
  for (let i = 0; i < n; i++) {
    if (values[i] !== expected(i))
      return `value ${i}: ${String(values[i]).slice(0, 40)}, expected ${expected(i)}`;
  }
  return undefined;
};

/** A hash reply as an object, a Map, or glide's `{ field, value }[]`: its field count and one value. */
function checkHash(reply: unknown): string | undefined {
  let size: number;
  let probe: unknown;
  const at = 12_345;
  if (Array.isArray(reply)) {
    size = reply.length;
    probe = (reply as { field: unknown; value: unknown }[]).find((e) => e.field === hashField(at))?.value;
  } else if (reply instanceof Map) {
    size = reply.size;
    probe = reply.get(hashField(at));
  } else if (typeof reply === 'object' && reply !== null) {
    size = Object.keys(reply).length;
    probe = (reply as Record<string, unknown>)[hashField(at)];
  } else return `expected a hash, got ${typeof reply}`;
  if (size !== HASH_FIELDS) return `expected ${HASH_FIELDS} fields, got ${size}`;
  return probe === stringValue(at) ? undefined : `field ${hashField(at)} is ${String(probe)}`;
}

/** A case driven through a client library's public API. */
export function prepareClientCase(id: CaseId, client: BenchClient): CaseRun {
  switch (id) {
    case 'b1': {
      const values = b1Values();
      const lat = new Float64Array(B1_OPS);
      let wrong = 0;
      return {
        async run() {
          wrong = 0;
          for (let i = 0; i < B1_OPS / 2; i++) {
            const key = b1Key(i);
            const t0 = process.hrtime.bigint();
            await client.set(key, values[i] as string);
            const t1 = process.hrtime.bigint();
            const got = await client.get(key);
            const t2 = process.hrtime.bigint();
            lat[2 * i] = Number(t1 - t0) / 1e3;
            lat[2 * i + 1] = Number(t2 - t1) / 1e3;
            if (got !== values[i]) wrong++;
          }
          return wrong;
        },
        check: (result) => (result === 0 ? undefined : `${String(result)} GETs did not read their SET back`),
        latencies: () => lat,
      };
    }
    case 'b2': {
      const keys = Array.from({ length: B2_SETS }, (_, i) => b2Key(i));
      const values = Array.from({ length: B2_SETS }, (_, i) => stringValue(i));
      return {
        run: () => client.pipelineSets(keys, values),
        check(result) {
          const replies = client.pipelineReplies(result);
          return firstWrong(replies, () => 'OK', B2_SETS);
        },
      };
    }
    case 'b3': {
      const keys = Array.from({ length: B3_GETS }, (_, i) => stringKey(i % STRING_KEYS));
      return {
        run: () => Promise.all(keys.map((k) => client.get(k))),
        check: (result) => firstWrong(result, (i) => stringValue(i % STRING_KEYS), B3_GETS),
      };
    }
    case 'b4':
      return {
        run: () => client.lrange(LIST_KEY, 0, -1),
        check(result) {
          if (!Array.isArray(result)) return `expected an array, got ${typeof result}`;
          if (result.length !== LIST_ITEMS) return `expected ${LIST_ITEMS} items, got ${result.length}`;
          const last = LIST_ITEMS - 1;
          if (result[0] !== listItem(0) || result[last] !== listItem(last))
            return 'first or last item differs';
          return undefined;
        },
      };
    case 'b5':
      return { run: () => client.hgetall(HASH_KEY), check: checkHash };
    case 'b6': {
      const keys = Array.from({ length: STRING_KEYS }, (_, i) => stringKey(i));
      return {
        run: () => client.mget(keys),
        check: (result) => firstWrong(result, stringValue, STRING_KEYS),
      };
    }
    case 'b7': {
      const value = stringValue(7);
      return b7Loop(async (u, stop) => {
        const key = b7Key(u);
        let ops = 0;
        while (!stop()) {
          await client.set(key, value);
          await client.get(key);
          ops += 2;
        }
        return ops;
      });
    }
    case 'b8': {
      const keys = Array.from({ length: B8_TRANSACTIONS }, (_, i) => b8Key(i));
      return {
        run: () => Promise.all(keys.map((key) => client.incrExpire(key, B8_TTL))),
        check(result) {
          const counts = (result as unknown[]).map((r) => client.incrOf(r));
          const bad = counts.findIndex((n) => typeof n !== 'number' || n < 1);
          return bad === -1 ? undefined : `transaction ${bad}: INCR gave ${String(counts[bad])}`;
        },
      };
    }
  }
}

/**
 * The raw ceiling: each command encoded before timing; replies are counted, not decoded. With
 * `promisePerCommand` (the `raw-promises` floor, b3), the same bytes go out in the same write, but
 * each command gets its own promise, settled as its reply is counted, and the pass awaits them
 * with `Promise.all` as the clients' b3 does: what returning a promise per command costs alone.
 */
export function prepareRawCase(id: CaseId, raw: RawConnection, promisePerCommand = false): CaseRun {
  const counted = (): string | undefined => (raw.errors === 0 ? undefined : `${raw.errors} error replies`);
  const one = (args: string[]): CaseRun => {
    const bytes = encodeCommands([args]);
    return { run: () => raw.send(bytes, 1), check: counted };
  };
  switch (id) {
    case 'b1': {
      const commands = Array.from({ length: B1_OPS }, (_, j) => {
        const i = j >> 1;
        return encodeCommands([j % 2 === 0 ? ['set', b1Key(i), stringValue(i)] : ['get', b1Key(i)]]);
      });
      const lat = new Float64Array(B1_OPS);
      return {
        async run() {
          for (let j = 0; j < B1_OPS; j++) {
            const t0 = process.hrtime.bigint();
            await raw.send(commands[j] as Buffer, 1);
            lat[j] = Number(process.hrtime.bigint() - t0) / 1e3;
          }
        },
        check: counted,
        latencies: () => lat,
      };
    }
    case 'b2': {
      const bytes = encodeCommands(
        Array.from({ length: B2_SETS }, (_, i) => ['set', b2Key(i), stringValue(i)]),
      );
      return { run: () => raw.send(bytes, B2_SETS), check: counted };
    }
    case 'b3': {
      const bytes = encodeCommands(
        Array.from({ length: B3_GETS }, (_, i) => ['get', stringKey(i % STRING_KEYS)]),
      );
      if (promisePerCommand) return { run: () => Promise.all(raw.sendEach(bytes, B3_GETS)), check: counted };
      return { run: () => raw.send(bytes, B3_GETS), check: counted };
    }
    case 'b4':
      return one(['lrange', LIST_KEY, '0', '-1']);
    case 'b5':
      return one(['hgetall', HASH_KEY]);
    case 'b6':
      return one(['mget', ...Array.from({ length: STRING_KEYS }, (_, i) => stringKey(i))]);
    case 'b7': {
      const value = stringValue(7);
      const perUser = Array.from({ length: B7_USERS }, (_, u) => ({
        set: encodeCommands([['set', b7Key(u), value]]),
        get: encodeCommands([['get', b7Key(u)]]),
      }));
      return b7Loop(async (u, stop) => {
        const { set, get } = perUser[u] as { set: Buffer; get: Buffer };
        let ops = 0;
        while (!stop()) {
          await raw.send(set, 1);
          await raw.send(get, 1);
          ops += 2;
        }
        return ops;
      });
    }
    case 'b8': {
      const ttl = String(B8_TTL);
      const commands: string[][] = [];
      for (let i = 0; i < B8_TRANSACTIONS; i++) {
        const key = b8Key(i);
        commands.push(['multi'], ['incr', key], ['expire', key, ttl], ['exec']);
      }
      const bytes = encodeCommands(commands);
      return { run: () => raw.send(bytes, commands.length), check: counted };
    }
  }
}
