// mutable(): a typed, editable deep copy of a frozen cached object, for the read-modify-write path.

import { deepCopy } from '../api/deep-freeze.ts';

/**
 * The editable form of a (deeply) read-only JSON-like type: `Mutable<DeepReadonly<T>>` is T
 * again, so a copy of a cached object has the type of the kind handle's objects.
 * @category Client
 */
export type Mutable<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? Mutable<E>[]
    : T extends object
      ? { -readonly [K in keyof T]: Mutable<T[K]> }
      : T;

/**
 * A mutable deep copy of `obj` (controller-runtime's `obj.DeepCopy()`): cached objects are frozen,
 * so edit a copy and write it back. The copy is independent of the cache; the original stays as
 * it was. Works on any JSON-like value (objects, arrays, primitives, Dates), frozen or not.
 *
 * @example
 * const cached = await client.get(ConfigMaps, { namespace: 'default', name: 'settings' }); // frozen
 * const cm = mutable(cached);
 * cm.data = { ...cm.data, mode: 'fast' };
 * await client.update(ConfigMaps, cm);
 * @category Client
 */
export function mutable<R>(obj: R): Mutable<R> {
  return deepCopy(obj) as Mutable<R>;
}
