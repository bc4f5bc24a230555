import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortable, untilAborted } from '../../src/until-aborted.js';

describe('untilAborted / abortable', () => {
  it('keeps one abort listener per signal however many calls wait, and removes it with the last', async () => {
    const controller = new AbortController();
    const finish: (() => void)[] = [];
    const calls = Array.from({ length: 50 }, (_, i) =>
      untilAborted(new Promise<number>((resolve) => finish.push(() => resolve(i))), controller.signal),
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const done of finish) done();
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects every waiting call with the reason, while the work goes on', async () => {
    const controller = new AbortController();
    const reason = new Error('gave up');
    let settle: (value: string) => void = () => {};
    const work = new Promise<string>((resolve) => {
      settle = resolve;
    });
    const calls = [untilAborted(work, controller.signal), untilAborted(work, controller.signal)];
    controller.abort(reason);
    for (const call of calls) await expect(call).rejects.toBe(reason);
    settle('done');
    expect(await work).toBe('done');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('does not run the work for a signal already aborted', async () => {
    const reason = new Error('before');
    let ran = false;
    await expect(
      abortable(AbortSignal.abort(reason), async () => {
        ran = true;
      }),
    ).rejects.toBe(reason);
    expect(ran).toBe(false);
    expect(await abortable(undefined, async () => 'plain')).toBe('plain');
  });
});
