import { type DecodeOptionsInput, encodeCommand, ReplyError } from '@fusedis/resp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteByByte, type DecodedEvent, decodeEvents, RawConnection } from './raw-connection.js';

/*
 * `DEBUG PROTOCOL <type>` makes the server send one reply of each RESP3 type (the test server runs
 * with --enable-debug-command local). What Redis sends, read from a real server (8.2.3):
 *
 *   type      RESP3 bytes                                           RESP2 bytes
 *   string    $11 Hello World                                       same
 *   integer   :12345                                                same
 *   double    ,3.141                                                $5 3.141
 *   bignum    (1234567999999999999999999999999999999                $37 1234567999999999999999999999999999999
 *   null      _                                                     $-1
 *   array     *3 :0 :1 :2                                           same
 *   set       ~3 :0 :1 :2                                           *3 :0 :1 :2
 *   map       %3 :0 #f :1 #t :2 #f                                  *6 :0 :0 :1 :1 :2 :0
 *   attrib    |1 $14 key-popularity *2 $7 key:123 :90, then         $39 Some real reply following the attribute
 *             $39 Some real reply following the attribute
 *   push      >2 $16 server-cpu-usage :42 and                       -ERR RESP2 is not supported by this command
 *             $40 Some real reply following the push reply
 *             (Redis 8 sends the reply first, then the push; 7.0 the other way round)
 *   verbatim  =29 txt:This is a verbatim\nstring                   $25 This is a verbatim\nstring
 *   true      #t                                                    :1
 *   false     #f                                                    :0
 */

const TYPES = [
  'string',
  'integer',
  'double',
  'bignum',
  'null',
  'array',
  'set',
  'map',
  'attrib',
  'push',
  'verbatim',
  'true',
  'false',
] as const;
type DebugType = (typeof TYPES)[number];

const BIGNUM = '1234567999999999999999999999999999999';
const ATTRIB_REPLY = 'Some real reply following the attribute';
const PUSH_REPLY = 'Some real reply following the push reply';
const VERBATIM = 'This is a verbatim\nstring';
// biome-ignore lint/suspicious/noApproximativeNumericConstant: the server sends exactly 3.141, it is not π
const DOUBLE = 3.141;

function reply(value: unknown): DecodedEvent {
  return { kind: 'reply', value };
}

function nullProto(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, entries);
}

interface Case {
  /** The type byte the server really sends first (checked, so the test exercises what it claims). */
  readonly typeByte: string;
  /** Every sink event, in order. */
  readonly events: readonly DecodedEvent[];
}

const RESP3: Record<DebugType, Case> = {
  string: { typeByte: '$', events: [reply('Hello World')] },
  integer: { typeByte: ':', events: [reply(12345)] },
  double: { typeByte: ',', events: [reply(DOUBLE)] },
  bignum: { typeByte: '(', events: [reply(BigInt(BIGNUM))] },
  null: { typeByte: '_', events: [reply(null)] },
  array: { typeByte: '*', events: [reply([0, 1, 2])] },
  set: { typeByte: '~', events: [reply([0, 1, 2])] },
  map: { typeByte: '%', events: [reply(nullProto({ 0: false, 1: true, 2: false }))] },
  attrib: { typeByte: '|', events: [reply(ATTRIB_REPLY)] },
  push: { typeByte: '$', events: [reply(PUSH_REPLY), { kind: 'push', value: ['server-cpu-usage', 42] }] },
  verbatim: { typeByte: '=', events: [reply(VERBATIM)] },
  true: { typeByte: '#', events: [reply(true)] },
  false: { typeByte: '#', events: [reply(false)] },
};

const RESP2: Record<DebugType, Case> = {
  string: { typeByte: '$', events: [reply('Hello World')] },
  integer: { typeByte: ':', events: [reply(12345)] },
  double: { typeByte: '$', events: [reply('3.141')] },
  bignum: { typeByte: '$', events: [reply(BIGNUM)] },
  null: { typeByte: '$', events: [reply(null)] },
  array: { typeByte: '*', events: [reply([0, 1, 2])] },
  set: { typeByte: '*', events: [reply([0, 1, 2])] },
  map: { typeByte: '*', events: [reply([0, 0, 1, 1, 2, 0])] },
  attrib: { typeByte: '$', events: [reply(ATTRIB_REPLY)] },
  push: { typeByte: '-', events: [reply(new ReplyError('ERR RESP2 is not supported by this command'))] },
  verbatim: { typeByte: '$', events: [reply(VERBATIM)] },
  true: { typeByte: ':', events: [reply(1)] },
  false: { typeByte: ':', events: [reply(0)] },
};

/** Runs `DEBUG PROTOCOL <type>` and returns the events it produced and the bytes it came as. */
async function debugProtocol(
  conn: RawConnection,
  type: DebugType,
  events: number,
): Promise<{ events: DecodedEvent[]; wire: Buffer }> {
  conn.clear();
  conn.write(encodeCommand(['DEBUG', 'PROTOCOL', type]));
  const got = (await conn.waitForEvents(events)).slice();
  // Nothing more may trail behind what we waited for.
  await conn.request(encodeCommand(['PING']));
  const wire = conn.received();
  const pong = wire.lastIndexOf('+PONG\r\n');
  return { events: got, wire: wire.subarray(0, pong) };
}

async function openResp3(decode?: DecodeOptionsInput): Promise<RawConnection> {
  const conn = await RawConnection.open(decode === undefined ? {} : { decode });
  await conn.request(encodeCommand(['HELLO', 3]));
  return conn;
}

describe('DEBUG PROTOCOL replies in RESP3 (after HELLO 3)', () => {
  let conn: RawConnection;
  beforeAll(async () => {
    conn = await openResp3();
  });
  afterAll(async () => {
    await conn.close();
  });

  it.each(TYPES)('decodes %s to its exact JS value, whole and byte by byte', async (type) => {
    const expected = RESP3[type];
    const { events, wire } = await debugProtocol(conn, type, expected.events.length);
    if (type === 'push') {
      // Which comes first depends on the server version; the decoder must keep wire order.
      const pushFirst = wire[0] === 0x3e; // >
      expect(events).toEqual(pushFirst ? [...expected.events].reverse() : expected.events);
      expect(wire.includes('>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n')).toBe(true);
    } else {
      expect(String.fromCharCode(wire[0] ?? 0)).toBe(expected.typeByte);
      expect(events).toEqual(expected.events);
    }
    expect(decodeEvents(byteByByte(wire))).toEqual(events);
  });

  it('decodes a map to a null-prototype object with string keys', async () => {
    const { events } = await debugProtocol(conn, 'map', 1);
    const value = events[0]?.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(null);
    expect(Object.keys(value)).toEqual(['0', '1', '2']);
  });
});

describe('DEBUG PROTOCOL replies in RESP3 with non-default decode options', () => {
  it('gives Map, Set and bigint values with maps: "map", sets: "set", integers: "bigint"', async () => {
    const conn = await openResp3({ maps: 'map', sets: 'set', integers: 'bigint' });
    try {
      const got: Partial<Record<DebugType, unknown>> = {};
      for (const type of ['map', 'set', 'array', 'integer', 'bignum', 'double'] as const) {
        got[type] = (await debugProtocol(conn, type, 1)).events[0]?.value;
      }
      expect(got).toEqual({
        map: new Map<bigint, boolean>([
          [0n, false],
          [1n, true],
          [2n, false],
        ]),
        set: new Set([0n, 1n, 2n]),
        array: [0n, 1n, 2n],
        integer: 12345n,
        bignum: BigInt(BIGNUM),
        double: DOUBLE,
      });
    } finally {
      await conn.close();
    }
  });

  it('hands the attribute to sink.attribute, before the value, with attributes: "sink"', async () => {
    const conn = await openResp3({ attributes: 'sink' });
    try {
      const { events, wire } = await debugProtocol(conn, 'attrib', 2);
      expect(events).toEqual([
        { kind: 'attribute', value: nullProto({ 'key-popularity': ['key:123', 90] }) },
        reply(ATTRIB_REPLY),
      ]);
      expect(decodeEvents(byteByByte(wire), { attributes: 'sink' })).toEqual(events);
      // Skipped by default: the same bytes give only the value.
      expect(decodeEvents([wire])).toEqual([reply(ATTRIB_REPLY)]);
    } finally {
      await conn.close();
    }
  });

  it('gives Buffers for string, verbatim and attributed replies with strings: "buffer"', async () => {
    const conn = await openResp3({ strings: 'buffer' });
    try {
      const got: Partial<Record<DebugType, unknown>> = {};
      for (const type of ['string', 'verbatim', 'attrib', 'double', 'bignum', 'true', 'null'] as const) {
        got[type] = (await debugProtocol(conn, type, 1)).events[0]?.value;
      }
      expect(got).toEqual({
        string: Buffer.from('Hello World'),
        verbatim: Buffer.from(VERBATIM),
        attrib: Buffer.from(ATTRIB_REPLY),
        double: DOUBLE,
        bignum: BigInt(BIGNUM),
        true: true,
        null: null,
      });
    } finally {
      await conn.close();
    }
  });
});

describe('DEBUG PROTOCOL replies in RESP2', () => {
  let conn: RawConnection;
  beforeAll(async () => {
    conn = await RawConnection.open();
  });
  afterAll(async () => {
    await conn.close();
  });

  it.each(TYPES)('decodes %s to its exact JS value, whole and byte by byte', async (type) => {
    const expected = RESP2[type];
    const { events, wire } = await debugProtocol(conn, type, expected.events.length);
    expect(String.fromCharCode(wire[0] ?? 0)).toBe(expected.typeByte);
    expect(events).toEqual(expected.events);
    expect(decodeEvents(byteByByte(wire))).toEqual(events);
  });

  it('reports the RESP2 push refusal as a ReplyError with code ERR, not a protocol error', async () => {
    const { events } = await debugProtocol(conn, 'push', 1);
    const error = events[0]?.value;
    expect(events[0]?.kind).toBe('reply');
    expect(error).toBeInstanceOf(ReplyError);
    expect((error as ReplyError).code).toBe('ERR');
    expect((error as ReplyError).message).toBe('ERR RESP2 is not supported by this command');
  });
});
