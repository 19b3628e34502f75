// The Scheme: which kinds the structured informers know, how to decode them, and their scope.

import { apiVersionOf, gvkKey, type GroupVersionKind } from '../api/gvk.ts';
import type { KubeObject } from '../api/types.ts';
import { KindNotRegisteredError } from './errors.ts';

/**
 * One kind known to a {@link Scheme}.
 * @category Kinds
 */
export interface KindRegistration<T extends KubeObject = KubeObject> {
  readonly gvk: Readonly<GroupVersionKind>;
  /**
   * Whether objects of the kind live in namespaces. When absent the cache asks the RESTMapper
   * (one discovery read); stating it saves that read.
   */
  readonly namespaced?: boolean;
  /**
   * Turns one parsed JSON object into T. It receives a fresh object it may mutate and return;
   * it must not keep references to it. @default the JSON object itself, typed as T
   */
  readonly decode?: (raw: unknown) => T;
}

/**
 * Maps GroupVersionKinds to registrations, as apimachinery's runtime.Scheme does for Go types.
 *
 * The default decoder keeps the JSON as parsed: client-node's models describe the same shape,
 * except that their `Date` fields stay RFC 3339 strings. The built-in kind handles are therefore
 * typed `WireObject<Model>`, which says so. Converting with client-node's ObjectSerializer would
 * walk and copy every object on the ingestion hot path; register a kind with your own `decode`
 * if you need that.
 *
 * @example
 * const scheme = defaultScheme.clone().register<Foo>({ gvk: { group: 'example.com', version: 'v1', kind: 'Foo' }, namespaced: true });
 * @category Kinds
 */
export class Scheme {
  readonly #kinds = new Map<string, KindRegistration>();

  /** Adds (or replaces) the registration of `registration.gvk`. Returns this scheme for chaining. */
  register<T extends KubeObject>(registration: KindRegistration<T>): this {
    this.#kinds.set(gvkKey(registration.gvk), registration);
    return this;
  }

  /** The registration of `gvk`, or undefined when the kind is unknown. */
  lookup(gvk: Readonly<GroupVersionKind>): KindRegistration | undefined {
    return this.#kinds.get(gvkKey(gvk));
  }

  /** The registration of `gvk`; throws {@link KindNotRegisteredError} when it is unknown. */
  require(gvk: Readonly<GroupVersionKind>): KindRegistration {
    const found = this.lookup(gvk);
    if (found === undefined) throw new KindNotRegisteredError(gvk.kind, apiVersionOf(gvk));
    return found;
  }

  /** True when `gvk` is registered. */
  recognizes(gvk: Readonly<GroupVersionKind>): boolean {
    return this.#kinds.has(gvkKey(gvk));
  }

  /** Every registered kind. */
  allKnownKinds(): GroupVersionKind[] {
    return [...this.#kinds.values()].map((r) => ({ ...r.gvk }));
  }

  /** A copy to extend without touching this scheme. */
  clone(): Scheme {
    const copy = new Scheme();
    for (const registration of this.#kinds.values()) copy.register(registration);
    return copy;
  }
}

const builtIns: readonly [group: string, kind: string, namespaced: boolean][] = [
  ['', 'Pod', true],
  ['', 'ConfigMap', true],
  ['', 'Secret', true],
  ['', 'Service', true],
  ['', 'Namespace', false],
  ['', 'Node', false],
  ['', 'Event', true],
  ['', 'ServiceAccount', true],
  ['apps', 'Deployment', true],
  ['apps', 'ReplicaSet', true],
  ['apps', 'StatefulSet', true],
  ['apps', 'DaemonSet', true],
  ['coordination.k8s.io', 'Lease', true],
  ['apiextensions.k8s.io', 'CustomResourceDefinition', false],
];

/**
 * A new Scheme holding the built-in kinds that client-node has models for (see `kinds.ts`).
 * @category Kinds
 */
export function newDefaultScheme(): Scheme {
  const scheme = new Scheme();
  for (const [group, kind, namespaced] of builtIns) scheme.register({ gvk: { group, version: 'v1', kind }, namespaced });
  return scheme;
}

/**
 * The scheme caches use when none is given. Shared: registering here affects every cache that
 * uses it; prefer `defaultScheme.clone().register(...)` in libraries.
 * @category Kinds
 */
export const defaultScheme: Scheme = newDefaultScheme();
