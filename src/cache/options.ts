// Cache options as users write them, their resolved form, and the one pure function between them.

import { gvkKey, gvkToString, type GroupVersionKind, type GroupVersionResource } from '../api/gvk.ts';
import { FieldSelector, fieldSelectorFromSet, parseFieldSelector } from '../api/field-selector.ts';
import { LabelSelector, labelSelectorFromSet, parseLabelSelector } from '../api/label-selector.ts';
import type { Logger } from '../api/logger.ts';
import type { KubeObject } from '../api/types.ts';
import { assertValidNamespace } from '../api/validation.ts';
import type { TransportOptions } from '../client/transport.ts';
import type { BackoffOptions } from '../informer/backoff.ts';
import { InvalidCacheOptionsError } from './errors.ts';
import type { KindRef } from './kinds.ts';
import { defaultScheme, type Scheme } from './scheme.ts';
import {
  checkCacheFullObjects,
  completeWorkingSet,
  mergeWorkingSetOptions,
  type CacheFullObjects,
  type ResolvedWorkingSet,
  type WorkingSetOptions,
} from './working-set/options.ts';

/**
 * The key of `defaultNamespaces` / `byObject.namespaces` meaning "every namespace not named".
 * @category Cache
 */
export const ALL_NAMESPACES = '';

/**
 * controller-runtime's default resync period: 10 hours.
 * @category Cache
 */
export const DEFAULT_SYNC_PERIOD_MS = 10 * 60 * 60 * 1000;

/**
 * A label selector in any accepted form: the string syntax, an equality set, or a parsed selector.
 * @category Cache
 */
export type LabelSelectorInput = string | Readonly<Record<string, string>> | LabelSelector;
/**
 * A field selector in any accepted form: the string syntax, an equality set, or a parsed selector.
 * @category Cache
 */
export type FieldSelectorInput = string | Readonly<Record<string, string>> | FieldSelector;

/**
 * Rewrites each object before it is stored (for example to drop managedFields). It runs once per
 * object, may mutate its argument, must return an object with the same name and namespace, and
 * must be idempotent. It sees whichever representation the informer holds.
 * @category Cache
 */
export type CacheTransform = (obj: KubeObject) => KubeObject;

/**
 * Called with every list or watch failure of an informer; the informer retries on its own.
 * @category Cache
 */
export type CacheWatchErrorHandler = (err: unknown, source: { gvk: GroupVersionKind; namespace: string }) => void;

/**
 * What the cache needs of a RESTMapper (client/'s `RESTMapper` satisfies it). A read passes its
 * signal: a mapper should stop waiting for discovery when it aborts.
 * @category Cache
 */
export interface CacheRESTMapper {
  restMapping(
    gvk: GroupVersionKind,
    options?: { readonly signal?: AbortSignal | undefined },
  ): Promise<{ resource: GroupVersionResource; scope: 'Namespace' | 'Root' }>;
}

/**
 * Settings of the informers of one namespace (controller-runtime's `cache.Config`); absent fields inherit.
 * @category Cache
 */
export interface NamespaceConfig {
  /** Server-side label selector: objects outside it are invisible to the cache. */
  readonly labelSelector?: LabelSelectorInput;
  /** Server-side field selector (only fields the server supports for the kind). */
  readonly fieldSelector?: FieldSelectorInput;
  readonly transform?: CacheTransform;
  /** Reads return mutable deep copies instead of the frozen stored objects. */
  readonly deepCopy?: boolean;
  /** Ask the server for watch bookmarks. */
  readonly enableWatchBookmarks?: boolean;
  /** Resync period of event handlers (a local re-delivery, not a relist). */
  readonly syncPeriodMs?: number;
}

/**
 * Namespaces to cache: names (all with inherited settings) or names with their settings.
 * @category Cache
 */
export type NamespacesInput = readonly string[] | Readonly<Record<string, NamespaceConfig>>;

/**
 * Per-kind overrides (controller-runtime's `cache.ByObject`); they apply to every representation of the kind.
 * @category Cache
 */
export interface ByObject extends NamespaceConfig {
  /**
   * Namespaces to cache this kind in. Absent: `defaultNamespaces`. An empty object or array: all
   * namespaces, not defaulted. Must be absent for cluster-scoped kinds.
   */
  readonly namespaces?: NamespacesInput;
  /**
   * `'whenRead'`: watch metadata only, keep full objects only for what is read (see
   * {@link CacheFullObjects}; bounded by `workingSet`). @default `defaultCacheFullObjects`
   */
  readonly cacheFullObjects?: CacheFullObjects;
  /** Bounds and freshness of this kind's working set, field by field over `defaultWorkingSet`; only with `'whenRead'`. */
  readonly workingSet?: WorkingSetOptions;
}

/**
 * A {@link ByObject} entry naming its kind, for the array form of `byObject`.
 * @category Cache
 */
export interface ByObjectEntry extends ByObject {
  readonly kind: KindRef;
}

/**
 * What a Cache is built with. Every field is optional.
 * @category Cache
 */
export interface CacheOptions {
  /** Kinds known to structured informers. @default defaultScheme */
  readonly scheme?: Scheme;
  /** GVK → resource and scope. @default a discovery RESTMapper over the cache's kubeconfig */
  readonly mapper?: CacheRESTMapper;
  /**
   * The HTTP client's limits: request timeout, response size, sockets, Retry-After retries, user
   * agent. `maxRetryWaitMs` defaults to `backoff.capMs` and `logger` to the cache's logger.
   * @default TransportOptions' defaults
   */
  readonly transport?: TransportOptions;
  /** Resync period of handlers (jittered ×[0.9, 1.1)). @default 36000000 (10 hours) */
  readonly syncPeriodMs?: number;
  /** Reads of a kind without an informer reject with ResourceNotCachedError instead of starting one. @default false */
  readonly readerFailOnMissingInformer?: boolean;
  /** Cache only these namespaces (`ALL_NAMESPACES` = every other one). @default all namespaces, one informer per kind */
  readonly defaultNamespaces?: NamespacesInput;
  /** @default everything */
  readonly defaultLabelSelector?: LabelSelectorInput;
  /** @default everything */
  readonly defaultFieldSelector?: FieldSelectorInput;
  /** @default none */
  readonly defaultTransform?: CacheTransform;
  /** Reads return mutable deep copies. @default false (frozen stored objects, zero copy) */
  readonly defaultDeepCopy?: boolean;
  /** @default true */
  readonly defaultEnableWatchBookmarks?: boolean;
  /** @default none (errors are still emitted as the informer's `watchError` event) */
  readonly defaultWatchErrorHandler?: CacheWatchErrorHandler;
  /**
   * Which objects of every kind without a `byObject` setting are held in full: `'whenRead'` watches
   * metadata only and keeps full objects for what is read (see {@link CacheFullObjects}).
   * @default 'always'
   */
  readonly defaultCacheFullObjects?: CacheFullObjects;
  /** Working-set bounds and freshness of `'whenRead'` kinds. @default see WorkingSetOptions */
  readonly defaultWorkingSet?: WorkingSetOptions;
  /** Per-kind overrides. @default none */
  readonly byObject?: ReadonlyMap<KindRef, ByObject> | readonly ByObjectEntry[];
  /** Stream initial state with a watch (sendInitialEvents) instead of paginated lists. @default false */
  readonly useWatchList?: boolean;
  /** Retry delays of every informer after a failed list or watch. @default client-go's: 800 ms ×2 … 30 s, jittered */
  readonly backoff?: BackoffOptions;
  /** Watches ask the server to end them after a random whole number of seconds in [min, 2·min). @default 300 */
  readonly minWatchTimeoutSeconds?: number;
  /** Re-watch at once after a 500 InternalError watch event while such errors last at most this long; 0 relists. @default 0 (client-go's) */
  readonly maxInternalErrorRetryDurationMs?: number;
  /**
   * Receives every informer's log lines, each with the fields `{ gvk, namespace }`
   * (see SharedIndexInformerOptions.logger for what is logged at which level). When absent nothing
   * is logged, and failures nobody handles become process warnings. @default none
   */
  readonly logger?: Logger;
}

/**
 * A fully defaulted {@link NamespaceConfig}; selectors are canonical strings ("" = everything).
 * @category Cache
 */
export interface ResolvedConfig {
  readonly labelSelector: string;
  readonly fieldSelector: string;
  readonly transform: CacheTransform | undefined;
  readonly deepCopy: boolean;
  readonly enableWatchBookmarks: boolean;
  readonly syncPeriodMs: number;
}

/**
 * Informer settings of one topology: per-namespace configs, or one all-namespaces config when `namespaces` is empty.
 * @category Cache
 */
export interface ResolvedScope {
  readonly namespaces: ReadonlyMap<string, ResolvedConfig>;
  /** Used for cluster-scoped kinds and when `namespaces` is empty. */
  readonly config: ResolvedConfig;
  /** Set when the kinds are cached with `cacheFullObjects: 'whenRead'`; undefined: full objects. */
  readonly workingSet: ResolvedWorkingSet | undefined;
}

/**
 * A resolved {@link ByObject}.
 * @category Cache
 */
export interface ResolvedByObject extends ResolvedScope {
  readonly gvk: GroupVersionKind;
  /** The user set `namespaces` (an error for a cluster-scoped kind). */
  readonly namespacesExplicit: boolean;
}

/**
 * {@link CacheOptions} after defaulting: every field present.
 * @category Cache
 */
export interface ResolvedCacheOptions {
  readonly scheme: Scheme;
  readonly mapper: CacheRESTMapper | undefined;
  readonly transport: TransportOptions;
  readonly readerFailOnMissingInformer: boolean;
  readonly useWatchList: boolean;
  readonly watchErrorHandler: CacheWatchErrorHandler | undefined;
  readonly backoff: BackoffOptions | undefined;
  readonly minWatchTimeoutSeconds: number | undefined;
  readonly maxInternalErrorRetryDurationMs: number;
  readonly logger: Logger | undefined;
  readonly defaults: ResolvedScope;
  /** By `gvkKey`. */
  readonly byObject: ReadonlyMap<string, ResolvedByObject>;
}

/**
 * Tells whether a kind is namespaced; undefined when not known without asking the server.
 * @category Cache
 */
export type ScopeHint = (gvk: GroupVersionKind) => boolean | undefined;

/** Canonical string of a label selector input; throws SelectorParseError on bad syntax. */
function labelSelectorString(input: LabelSelectorInput | undefined): string | undefined {
  if (input === undefined) return undefined;
  if (typeof input === 'string') return parseLabelSelector(input).toString();
  if (input instanceof LabelSelector) return input.toString();
  return labelSelectorFromSet(input).toString();
}

/** Canonical string of a field selector input; throws SelectorParseError on bad syntax. */
function fieldSelectorString(input: FieldSelectorInput | undefined): string | undefined {
  if (input === undefined) return undefined;
  if (typeof input === 'string') return parseFieldSelector(input).toString();
  if (input instanceof FieldSelector) return input.toString();
  return fieldSelectorFromSet(input).toString();
}

type PartialConfig = { -readonly [K in keyof ResolvedConfig]?: ResolvedConfig[K] | undefined };

// Throws InvalidCacheOptionsError (cause InvalidNameError) for a namespace that is not a DNS-1123
// label: it would become a request path segment, and `..` there addresses every namespace.
function checkNamespace(namespace: string, where: string): void {
  try {
    assertValidNamespace(namespace);
  } catch (err) {
    throw new InvalidCacheOptionsError(`${where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

// A field selector that pins metadata.namespace narrows the request path to that namespace.
function checkedFieldSelector(input: FieldSelectorInput | undefined, where: string): string | undefined {
  const selector = fieldSelectorString(input);
  if (selector === undefined) return undefined;
  const pinned = parseFieldSelector(selector).requiresExactMatch('metadata.namespace');
  if (pinned !== undefined && pinned !== '') checkNamespace(pinned, `${where} field selector`);
  return selector;
}

function normalize(config: NamespaceConfig | undefined, where: string): PartialConfig {
  if (config === undefined) return {};
  return {
    labelSelector: labelSelectorString(config.labelSelector),
    fieldSelector: checkedFieldSelector(config.fieldSelector, where),
    transform: config.transform,
    deepCopy: config.deepCopy,
    enableWatchBookmarks: config.enableWatchBookmarks,
    syncPeriodMs: config.syncPeriodMs,
  };
}

// controller-runtime's defaultConfig: every unset field of `a` comes from `b`.
function inherit(a: PartialConfig, b: PartialConfig): PartialConfig {
  return {
    labelSelector: a.labelSelector ?? b.labelSelector,
    fieldSelector: a.fieldSelector ?? b.fieldSelector,
    transform: a.transform ?? b.transform,
    deepCopy: a.deepCopy ?? b.deepCopy,
    enableWatchBookmarks: a.enableWatchBookmarks ?? b.enableWatchBookmarks,
    syncPeriodMs: a.syncPeriodMs ?? b.syncPeriodMs,
  };
}

function complete(c: PartialConfig): ResolvedConfig {
  return {
    labelSelector: c.labelSelector ?? '',
    fieldSelector: c.fieldSelector ?? '',
    transform: c.transform,
    deepCopy: c.deepCopy ?? false,
    enableWatchBookmarks: c.enableWatchBookmarks ?? true,
    syncPeriodMs: c.syncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS,
  };
}

function namespacesOf(input: NamespacesInput | undefined, where: string): Map<string, NamespaceConfig> | undefined {
  if (input === undefined) return undefined;
  const namespaces = Array.isArray(input)
    ? new Map((input as readonly string[]).map((ns) => [ns, {}]))
    : new Map(Object.entries(input as Readonly<Record<string, NamespaceConfig>>));
  for (const ns of namespaces.keys()) if (ns !== ALL_NAMESPACES) checkNamespace(ns, where);
  return namespaces;
}

// The "all other namespaces" informer must not see the named ones, or lists would hold duplicates.
function excludeOthers(config: ResolvedConfig, ns: string, all: Iterable<string>): ResolvedConfig {
  if (ns !== ALL_NAMESPACES) return config;
  const others = [...all].filter((n) => n !== ALL_NAMESPACES).sort();
  const terms = others.map((n) => `metadata.namespace!=${n}`);
  if (config.fieldSelector !== '') terms.push(config.fieldSelector);
  return { ...config, fieldSelector: terms.join(',') };
}

function byObjectEntries(input: CacheOptions['byObject']): [KindRef, ByObject][] {
  if (input === undefined) return [];
  if (input instanceof Map) return [...(input as ReadonlyMap<KindRef, ByObject>).entries()];
  return (input as readonly ByObjectEntry[]).map((entry) => [entry.kind, entry]);
}

// The working set of a kind (or of the defaults): undefined unless its mode is 'whenRead'.
function resolveWorkingSet(
  own: Pick<ByObject, 'cacheFullObjects' | 'workingSet'>,
  defaults: Pick<CacheOptions, 'defaultCacheFullObjects' | 'defaultWorkingSet'>,
  where: string,
): ResolvedWorkingSet | undefined {
  const mode = checkCacheFullObjects(own.cacheFullObjects, where) ?? checkCacheFullObjects(defaults.defaultCacheFullObjects, 'defaultCacheFullObjects');
  const inherited = mergeWorkingSetOptions(defaults.defaultWorkingSet, undefined, 'defaultWorkingSet');
  if (mode !== 'whenRead') {
    if (own.workingSet !== undefined) throw new InvalidCacheOptionsError(`${where}: workingSet is set, but cacheFullObjects is not 'whenRead'`);
    return undefined;
  }
  return completeWorkingSet(mergeWorkingSetOptions(own.workingSet, inherited, where));
}

function resolveByObject(
  kind: KindRef,
  byObject: ByObject,
  globals: PartialConfig,
  defaultNamespaces: Map<string, NamespaceConfig> | undefined,
  isNamespaced: ScopeHint,
  options: CacheOptions,
): ResolvedByObject {
  const namespaced = isNamespaced(kind.gvk);
  if (namespaced === false && byObject.namespaces !== undefined) {
    throw new InvalidCacheOptionsError(
      `type ${gvkToString(kind.gvk)} is not namespaced, but its byObject.namespaces setting is not undefined`,
    );
  }
  const where = `byObject ${gvkToString(kind.gvk)}`;
  const typeLevel = normalize(byObject, where);
  const raw = namespacesOf(byObject.namespaces, `${where} namespaces`) ?? (namespaced === false ? undefined : defaultNamespaces);
  const namespaces = new Map<string, ResolvedConfig>();
  for (const [ns, cfg] of raw ?? []) {
    const own = inherit(
      inherit(normalize(cfg, `${where} namespace ${ns}`), typeLevel),
      normalize(defaultNamespaces?.get(ns), `defaultNamespaces ${ns}`),
    );
    namespaces.set(ns, excludeOthers(complete(inherit(own, globals)), ns, raw?.keys() ?? []));
  }
  return {
    gvk: { ...kind.gvk },
    namespaces,
    config: complete(inherit(typeLevel, globals)),
    workingSet: resolveWorkingSet(byObject, options, where),
    namespacesExplicit: byObject.namespaces !== undefined,
  };
}

/**
 * Applies controller-runtime's defaulting to `options`. Precedence, most specific first:
 * `byObject.namespaces[ns]` > `byObject` > `defaultNamespaces[ns]` > `default*`. A `byObject`
 * without `namespaces` takes `defaultNamespaces`; the `ALL_NAMESPACES` entry excludes the named
 * namespaces with `metadata.namespace!=` terms. Throws InvalidCacheOptionsError for a namespace
 * (a `defaultNamespaces` or `byObject.namespaces` key, or one a field selector pins) that is not a
 * DNS-1123 label (its cause is the InvalidNameError), for namespaces on a kind known to be cluster-scoped (`isNamespaced` answers from the Scheme by default; kinds it
 * does not know are checked when the cache starts), for a bad `cacheFullObjects` or `workingSet`
 * value (or a `byObject.workingSet` on a kind that is not `'whenRead'`), and SelectorParseError for
 * bad selectors. `cacheFullObjects` and each `workingSet` field inherit from their `default*` form.
 * Never mutates `options`.
 * @category Cache
 */
export function resolveCacheOptions(options: CacheOptions = {}, isNamespaced?: ScopeHint): ResolvedCacheOptions {
  const scheme = options.scheme ?? defaultScheme;
  const hint: ScopeHint = isNamespaced ?? ((gvk) => scheme.lookup(gvk)?.namespaced);
  const globals: PartialConfig = {
    labelSelector: labelSelectorString(options.defaultLabelSelector),
    fieldSelector: checkedFieldSelector(options.defaultFieldSelector, 'defaultFieldSelector'),
    transform: options.defaultTransform,
    deepCopy: options.defaultDeepCopy,
    enableWatchBookmarks: options.defaultEnableWatchBookmarks,
    syncPeriodMs: options.syncPeriodMs,
  };
  const defaultNamespaces = namespacesOf(options.defaultNamespaces, 'defaultNamespaces');
  const byObject = new Map<string, ResolvedByObject>();
  for (const [kind, entry] of byObjectEntries(options.byObject)) {
    byObject.set(gvkKey(kind.gvk), resolveByObject(kind, entry, globals, defaultNamespaces, hint, options));
  }
  const namespaces = new Map<string, ResolvedConfig>();
  for (const [ns, cfg] of defaultNamespaces ?? []) {
    const resolved = complete(inherit(normalize(cfg, `defaultNamespaces ${ns}`), globals));
    namespaces.set(ns, excludeOthers(resolved, ns, defaultNamespaces?.keys() ?? []));
  }
  return {
    scheme,
    mapper: options.mapper,
    transport: options.transport ?? {},
    readerFailOnMissingInformer: options.readerFailOnMissingInformer ?? false,
    useWatchList: options.useWatchList ?? false,
    watchErrorHandler: options.defaultWatchErrorHandler,
    backoff: options.backoff,
    minWatchTimeoutSeconds: options.minWatchTimeoutSeconds,
    maxInternalErrorRetryDurationMs: options.maxInternalErrorRetryDurationMs ?? 0,
    logger: options.logger,
    defaults: { namespaces, config: complete(globals), workingSet: resolveWorkingSet({}, options, 'defaultCacheFullObjects') },
    byObject,
  };
}

/** A label selector as a caller may give it (string, map or parsed), parsed. */
export function toLabelSelector(input: LabelSelectorInput): LabelSelector {
  if (typeof input === 'string') return parseLabelSelector(input);
  return input instanceof LabelSelector ? input : labelSelectorFromSet(input);
}

/** A field selector as a caller may give it (string, map or parsed), parsed. */
export function toFieldSelector(input: FieldSelectorInput): FieldSelector {
  if (typeof input === 'string') return parseFieldSelector(input);
  return input instanceof FieldSelector ? input : fieldSelectorFromSet(input);
}
