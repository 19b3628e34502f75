// The common face of the benchmark contenders: sync from the bench server, count updates, answer reads.

/** The contenders, in the order a run alternates them. */
export const CONTENDERS = ['kubecache', 'client-node', 'fluent-client', 'floor'] as const;

/** One of {@link CONTENDERS}. */
export type ContenderName = (typeof CONTENDERS)[number];

/** What the cache keeps of each pod: everything, metadata only, or everything but managedFields. */
export type CacheMode = 'full' | 'metadata' | 'transform';

/** How a session is built. Unsupported combinations are rejected by the contender's factory. */
export interface SessionOptions {
  /** Base URL of the bench server, e.g. `http://127.0.0.1:41234`. */
  readonly server: string;
  readonly mode: CacheMode;
  /** Deep-freeze stored objects (kubecache only; the others never freeze). */
  readonly freeze: boolean;
  /** Maintain an index of pods by `spec.nodeName` (kubecache only). */
  readonly nodeIndex: boolean;
  /** Number of update handlers to register; each calls `onUpdate` with its own index. */
  readonly handlers: number;
  readonly onUpdate: (handler: number) => void;
}

/** One contender's cache, synced from the bench server and readable synchronously or not. */
export interface Session {
  /** Lists and starts watching; resolves once the store holds the whole list. */
  start(): Promise<void>;
  /** Resolves once every handler has been handed every initial-list object. */
  handlersSynced(): Promise<void>;
  /** Objects currently stored. */
  size(): number;
  get(namespace: string, name: string): unknown;
  listNamespace(namespace: string): Promise<readonly unknown[]> | readonly unknown[];
  /** Pods on `node` through an index; undefined when the contender has none. */
  readonly byNode: ((node: string) => Promise<readonly unknown[]> | readonly unknown[]) | undefined;
  /** Pods on `node` by a linear filter over every stored pod. */
  scanNode(node: string): Promise<readonly unknown[]> | readonly unknown[];
  /** Closes the watch and stops every background activity. */
  stop(): Promise<void>;
}

/** Builds a session, or throws {@link UnsupportedScenarioError} when the contender lacks the feature. */
export type SessionFactory = (options: SessionOptions) => Promise<Session>;

/** A contender asked for a feature it does not have (for example client-node's metadata mode). */
export class UnsupportedScenarioError extends Error {
  readonly reason = 'Unsupported';
  readonly code = 400;
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedScenarioError';
  }
}

/** The key every contender's maps use: `namespace/name`, as client-go's MetaNamespaceKeyFunc. */
export function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const m = obj.metadata;
  return m?.namespace === undefined || m.namespace === '' ? (m?.name ?? '') : `${m.namespace}/${m.name ?? ''}`;
}
