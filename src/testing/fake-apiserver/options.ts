// Options of the fake APIServer and their defaults, resolved by one pure function.

/**
 * What `FakeApiServer.start()` accepts; every field is optional.
 * @category Testing
 */
export interface FakeApiServerOptions {
  /** Serve HTTPS with a CA and server certificate generated at start (needs `openssl`). @default false */
  readonly tls?: boolean;
  /** Require `Authorization: Bearer <token>` on every request (401 otherwise). @default no auth */
  readonly token?: string;
  /** Port to bind; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Address to bind; must be loopback unless `allowNonLoopback`. @default '127.0.0.1' */
  readonly host?: string;
  /** Allow binding a non-loopback address. @default false */
  readonly allowNonLoopback?: boolean;
  /** Events of history kept; watches and exact reads from older versions get 410. @default 10000 */
  readonly historyWindow?: number;
  /**
   * Period of BOOKMARK events on watches that allow them. The real server sends one a minute;
   * the fake defaults to one a second so that clients' resume logic is exercised in tests.
   * @default 1000
   */
  readonly bookmarkIntervalMs?: number;
  /** Watch length when the request has no `timeoutSeconds` (the real server picks 30-60 min). @default 1800 */
  readonly defaultWatchTimeoutSeconds?: number;
  /**
   * Emulate servers (1.34+ with the WatchList gate) that turn a watch from resourceVersion ""
   * or "0" into a watch-list: with `allowWatchBookmarks` the client then also receives the
   * `k8s.io/initial-events-end` bookmark after the initial ADDED events. @default false
   */
  readonly watchListDefaulting?: boolean;
  /**
   * A watcher whose unread live events exceed this many bytes is cut off (it re-watches from its
   * last version), as the real server drops watchers that cannot keep up. Initial events (a
   * watch-list, or a watch from "0") wait for the client to read instead. @default 268435456 (256 MiB)
   */
  readonly maxWatchBufferBytes?: number;
}

/** The options with every default applied. */
export interface ResolvedFakeApiServerOptions {
  readonly tls: boolean;
  readonly token: string | undefined;
  readonly port: number;
  readonly host: string;
  readonly historyWindow: number;
  readonly bookmarkIntervalMs: number;
  readonly defaultWatchTimeoutSeconds: number;
  readonly watchListDefaulting: boolean;
  readonly maxWatchBufferBytes: number;
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function positiveInt(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new TypeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** Applies defaults and checks the options; a bad option throws a TypeError naming it. */
export function resolveOptions(options: FakeApiServerOptions = {}): ResolvedFakeApiServerOptions {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.allowNonLoopback !== true) {
    throw new TypeError(`host ${JSON.stringify(host)} is not a loopback address; pass allowNonLoopback: true to bind it`);
  }
  if (options.token === '') throw new TypeError('token must not be empty');
  return {
    tls: options.tls ?? false,
    token: options.token,
    port: positiveInt('port', options.port, 0, 0),
    host,
    historyWindow: positiveInt('historyWindow', options.historyWindow, 10000, 1),
    bookmarkIntervalMs: positiveInt('bookmarkIntervalMs', options.bookmarkIntervalMs, 1000, 1),
    defaultWatchTimeoutSeconds: positiveInt('defaultWatchTimeoutSeconds', options.defaultWatchTimeoutSeconds, 1800, 1),
    watchListDefaulting: options.watchListDefaulting ?? false,
    maxWatchBufferBytes: positiveInt('maxWatchBufferBytes', options.maxWatchBufferBytes, 256 * 1024 * 1024, 1),
  };
}
