// Predicates: which events reach a controller's handler (controller-runtime's pkg/predicate).

import type { DeepReadonly, KubeObject } from '../api/types.ts';
import type { ControllerEvent } from './event-handlers.ts';

/**
 * Decides whether an event reaches the handler (controller-runtime's `predicate.Predicate`). A
 * controller's predicates for one watch must all pass.
 * @category Controller
 */
export type Predicate<T> = (event: ControllerEvent<T>) => boolean;

/** A predicate that filters updates only, passing every create and delete (as upstream's `Funcs` base does). */
function onUpdates<T>(changed: (oldObj: DeepReadonly<T>, newObj: DeepReadonly<T>) => boolean): Predicate<T> {
  return (event) => event.type !== 'update' || changed(event.oldObject, event.object);
}

/**
 * Passes updates whose `metadata.generation` changed, i.e. spec changes (a status-subresource
 * write does not bump it). Creates and deletes pass. controller-runtime's `GenerationChangedPredicate`.
 * @category Controller
 */
export function generationChangedPredicate<T extends KubeObject>(): Predicate<T> {
  return onUpdates<T>((o, n) => o.metadata?.generation !== n.metadata?.generation);
}

/**
 * Passes updates whose `metadata.resourceVersion` changed (drops resync and relist repeats). Creates and deletes pass.
 * @category Controller
 */
export function resourceVersionChangedPredicate<T extends KubeObject>(): Predicate<T> {
  return onUpdates<T>((o, n) => o.metadata?.resourceVersion !== n.metadata?.resourceVersion);
}

/**
 * Passes updates whose labels changed (absent and `{}` are equal). Creates and deletes pass.
 * @category Controller
 */
export function labelChangedPredicate<T extends KubeObject>(): Predicate<T> {
  return onUpdates<T>((o, n) => !sameMap(o.metadata?.labels, n.metadata?.labels));
}

/**
 * Passes updates whose annotations changed (absent and `{}` are equal). Creates and deletes pass.
 * @category Controller
 */
export function annotationChangedPredicate<T extends KubeObject>(): Predicate<T> {
  return onUpdates<T>((o, n) => !sameMap(o.metadata?.annotations, n.metadata?.annotations));
}

/**
 * Passes when every predicate passes (checked in order, stopping at the first failure).
 * @category Controller
 */
export function and<T>(...predicates: readonly Predicate<T>[]): Predicate<T> {
  return (event) => predicates.every((p) => p(event));
}

/**
 * Passes when any predicate passes (checked in order, stopping at the first success).
 * @category Controller
 */
export function or<T>(...predicates: readonly Predicate<T>[]): Predicate<T> {
  return (event) => predicates.some((p) => p(event));
}

/**
 * Passes when `predicate` does not.
 * @category Controller
 */
export function not<T>(predicate: Predicate<T>): Predicate<T> {
  return (event) => !predicate(event);
}

function sameMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const aKeys = Object.keys(a ?? {});
  if (aKeys.length !== Object.keys(b ?? {}).length) return false;
  return aKeys.every((k) => b !== undefined && Object.hasOwn(b, k) && a?.[k] === b[k]);
}
