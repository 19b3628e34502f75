// Deep freezing of stored objects and deep copies for callers who want to mutate.

import type { DeepReadonly } from './types.ts';

/**
 * Freezes a JSON-like value in place, recursively, and returns it typed read-only.
 *
 * Contract: plain objects and arrays are frozen all the way down. A subtree that is already
 * frozen is assumed frozen throughout and skipped (this is what makes re-freezing shared
 * data cheap, and cycles safe). Dates, Maps and Sets have their wrapper frozen only: their
 * internal state cannot be frozen. Typed arrays are left alone (freezing them throws).
 * Runs on every object the cache ingests, so it walks with index and for-in loops and
 * allocates nothing.
 *
 * @example
 * ```ts
 * const pod = deepFreeze(JSON.parse(body) as Pod);
 * pod.metadata.labels['x'] = 'y'; // TypeError in strict mode; a type error at compile time
 * ```
 * @category API Machinery
 */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (typeof value === 'object' && value !== null) freezeObject(value);
  return value as DeepReadonly<T>;
}

function freezeObject(obj: object): void {
  if (Object.isFrozen(obj) || ArrayBuffer.isView(obj)) return;
  Object.freeze(obj);
  if (Array.isArray(obj)) {
    const arr = obj as unknown[];
    for (let i = 0; i < arr.length; i++) {
      const item = arr[i];
      if (typeof item === 'object' && item !== null) freezeObject(item);
    }
    return;
  }
  if (obj instanceof Date || obj instanceof Map || obj instanceof Set) return;
  const rec = obj as Record<string, unknown>;
  // for-in also visits inherited enumerable keys; JSON-like data has none worth guarding against.
  for (const key in rec) {
    const child = rec[key];
    if (typeof child === 'object' && child !== null) freezeObject(child);
  }
}

/**
 * A mutable deep copy of JSON-like data (plain objects, arrays, primitives; Dates are copied
 * as Dates). Accepts frozen input, so `deepCopy(cached)` is how a caller gets an object to
 * edit. Several times faster than `structuredClone` or a JSON round trip on Kubernetes
 * objects, which is why it exists.
 * Own enumerable string keys only; functions and class instances other than Date are
 * copied as plain objects.
 * @category API Machinery
 */
export function deepCopy<T>(value: T | DeepReadonly<T>): T {
  return copyValue(value) as T;
}

function copyValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const src = value as unknown[];
    const out = new Array<unknown>(src.length);
    for (let i = 0; i < src.length; i++) out[i] = copyValue(src[i]);
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in src) {
    if (!Object.hasOwn(src, key)) continue;
    // Plain assignment to "__proto__" would replace the copy's prototype instead of adding a key.
    if (key === '__proto__') {
      Object.defineProperty(out, key, { value: copyValue(src[key]), enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = copyValue(src[key]);
    }
  }
  return out;
}
