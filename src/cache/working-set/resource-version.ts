// Ordering resourceVersions: numeric where the server's are decimal (every kube-apiserver's are), equality otherwise.

const DECIMAL = /^[0-9]+$/;

/**
 * -1, 0 or 1 as `a` is older than, the same as or newer than `b`, when both are decimal strings
 * (etcd revisions, as every kube-apiserver sends); undefined when either is not, since the API
 * calls versions opaque and only equality then means anything.
 */
export function compareResourceVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  if (a === b) return 0;
  if (!DECIMAL.test(a) || !DECIMAL.test(b)) return undefined;
  // Leading zeros never occur in etcd revisions, but must not make a shorter number look newer.
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

/** True when `a` is known to be at least as new as `b`: equal, or decimal and not smaller. */
export function isNotOlder(a: string, b: string): boolean {
  const order = compareResourceVersions(a, b);
  return order !== undefined && order >= 0;
}

/** True when `a` is known to be older than `b` (both decimal, `a` smaller). */
export function isOlder(a: string, b: string): boolean {
  return compareResourceVersions(a, b) === -1;
}

/** The newest of `versions` when all are decimal; undefined when one is not (or there are none). */
export function newestResourceVersion(versions: Iterable<string>): string | undefined {
  let newest: string | undefined;
  for (const v of versions) {
    if (!DECIMAL.test(v)) return undefined;
    if (newest === undefined || compareResourceVersions(v, newest) === 1) newest = v;
  }
  return newest;
}
