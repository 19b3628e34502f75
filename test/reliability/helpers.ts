// Shared helpers of the reliability tests: walking error cause chains.

/** Every error in `err`'s cause chain, `err` first (cycles cut). */
export function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = err;
  while (current !== undefined && current !== null && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/** The first error of `type` whose `reason` is `reason` in `err`'s cause chain. */
export function findInChain<E extends Error>(
  err: unknown,
  type: abstract new (...args: never[]) => E,
  reason: string,
): E | undefined {
  for (const e of causeChain(err)) {
    if (e instanceof type && (e as unknown as { reason?: unknown }).reason === reason) return e;
  }
  return undefined;
}
