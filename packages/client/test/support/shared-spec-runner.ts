import { afterAll, beforeAll, inject } from 'vitest';
import { openSpecRunner, type SpecRunner } from './spec-runner.js';

/** Options of {@link sharedSpecRunner}. */
export interface SharedSpecRunnerOptions {
  /**
   * When the keys under the prefix are deleted (the server is shared): `'before'` the suite's
   * tests (leftovers of an earlier run) or `'after'` them. @default 'after'
   */
  readonly clean?: 'before' | 'after';
}

/**
 * A {@link SpecRunner} on the shared standalone server for the enclosing `describe`: opened
 * before its tests and closed after them; the keys under `prefix` are deleted before or after
 * (`options.clean`). Call it in the `describe` body; use the result only inside its tests.
 */
export function sharedSpecRunner(
  protocol: 2 | 3,
  prefix: string,
  options: SharedSpecRunnerOptions = {},
): SpecRunner {
  const cleanBefore = options.clean === 'before';
  let runner: SpecRunner | undefined;
  beforeAll(async () => {
    runner = await openSpecRunner(inject('servers').standalone, { protocol });
    if (cleanBefore) await deleteKeys(runner, prefix);
  });
  afterAll(async () => {
    if (runner === undefined) return;
    if (!cleanBefore) await deleteKeys(runner, prefix);
    await runner.close();
  });
  const current = (): SpecRunner => {
    if (runner === undefined) throw new Error('the shared spec runner is open only while its suite runs');
    return runner;
  };
  return {
    protocol,
    run: (name, ...args) => current().run(name, ...args),
    runBuffers: (name, ...args) => current().runBuffers(name, ...args),
    build: (name, ...args) => current().build(name, ...args),
    raw: (...args) => current().raw(...args),
    close: () => current().close(),
  };
}

async function deleteKeys(runner: SpecRunner, prefix: string): Promise<void> {
  const keys = (await runner.raw('KEYS', `${prefix}*`)) as string[];
  if (keys.length > 0) await runner.raw('DEL', ...keys);
}
