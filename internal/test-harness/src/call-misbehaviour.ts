/**
 * What went wrong with one call of a promise-returning API given bad input, or undefined when it
 * behaved: it must return a promise (not throw), the promise must settle within `settleMs`, and a
 * rejection must be an error `isTyped` accepts (a fusedis error, say, not a TypeError from inside).
 * For the bad-argument sweeps of the client and graph suites.
 */
export async function callMisbehaviour(
  call: () => unknown,
  isTyped: (err: unknown) => boolean,
  settleMs = 3000,
): Promise<string | undefined> {
  let returned: unknown;
  try {
    returned = call();
  } catch (err) {
    return `threw ${describeError(err)}`;
  }
  if (!(returned instanceof Promise)) return `returned ${typeof returned}, not a promise`;
  let timer: NodeJS.Timeout | undefined;
  const pending = Symbol('pending');
  const settled = await Promise.race([
    returned.then(
      () => undefined,
      (err: unknown) => ({ err }),
    ),
    new Promise<typeof pending>((resolve) => {
      timer = setTimeout(() => resolve(pending), settleMs);
    }),
  ]);
  clearTimeout(timer);
  if (settled === pending) return `still pending after ${settleMs} ms`;
  if (settled === undefined || isTyped(settled.err)) return undefined;
  return `rejected with ${describeError(settled.err)}`;
}

function describeError(err: unknown): string {
  return `${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`;
}
