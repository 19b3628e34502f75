// A minimal structured logger interface every layer can log through, with a silent and a console implementation.

/**
 * Structured fields of a log line. Never put credentials or request headers in them.
 * @category Observability
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Severity of a log line, lowest first.
 * @category Observability
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * What kubecache logs through: four levels of a message plus fields. Adapters for pino, winston
 * or bunyan are a few lines (see examples/pino-logger/). `child` is optional; without it,
 * {@link childLogger} merges the bound fields into every call.
 * @category Observability
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line it writes. */
  child?(fields: LogFields): Logger;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

function ignore(): void {
  // Deliberately empty: the silent logger drops every line.
}

/**
 * Drops every line. The default of informers and caches (their errors still surface as events and counters).
 * @category Observability
 */
export const silentLogger: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
});

/**
 * Options of {@link consoleLogger}.
 * @category Observability
 */
export interface ConsoleLoggerOptions {
  /** Lines below this level are dropped. @default 'info' */
  readonly level?: LogLevel;
  /** Fields added to every line. @default {} */
  readonly fields?: LogFields;
  /** Where lines go. @default globalThis.console */
  readonly console?: Pick<Console, LogLevel>;
}

/**
 * A logger writing `msg {json fields}` to the console method of the line's level; for quick use
 * and examples. Fields that cannot be serialised are written as their string form.
 *
 * @example
 * const cache = new Cache(kubeConfig, { logger: consoleLogger({ level: 'debug' }) });
 * @category Observability
 */
export function consoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = LEVELS.indexOf(options.level ?? 'info');
  const out = options.console ?? console;
  const bound = options.fields ?? {};
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LEVELS.indexOf(level) < threshold) return;
    const all = fields === undefined ? bound : { ...bound, ...fields };
    out[level](Object.keys(all).length === 0 ? msg : `${msg} ${safeJson(all)}`);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => consoleLogger({ ...options, fields: { ...bound, ...fields } }),
  };
}

/**
 * `logger.child(fields)` when the logger has one; otherwise a wrapper adding `fields` to every line.
 * @category Observability
 */
export function childLogger(logger: Logger, fields: LogFields): Logger {
  if (logger.child !== undefined) return logger.child(fields);
  const merge = (extra: LogFields | undefined): LogFields => (extra === undefined ? fields : { ...fields, ...extra });
  return {
    debug: (msg, extra) => logger.debug(msg, merge(extra)),
    info: (msg, extra) => logger.info(msg, merge(extra)),
    warn: (msg, extra) => logger.warn(msg, merge(extra)),
    error: (msg, extra) => logger.error(msg, merge(extra)),
    child: (more) => childLogger(logger, { ...fields, ...more }),
  };
}

/**
 * Log fields describing an error: its message, name, and Status `reason`/`code` when it has them.
 * Only these are taken, never the error object itself, so request options or headers an error
 * may carry cannot reach a log. Messages of client errors are already redacted.
 * @category Observability
 */
export function errorFields(err: unknown): LogFields {
  if (!(err instanceof Error)) return { error: String(err) };
  const fields: Record<string, unknown> = { error: err.message, errorName: err.name };
  const { reason, code } = err as { reason?: unknown; code?: unknown };
  if (typeof reason === 'string') fields['reason'] = reason;
  if (typeof code === 'number') fields['code'] = code;
  return fields;
}

function safeJson(fields: LogFields): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  } catch (err) {
    // A cyclic or throwing field must not turn a log line into an exception in the informer.
    return `{"unserializable":${JSON.stringify(String(err))}}`;
  }
}
