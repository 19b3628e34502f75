// Adapts a pino logger to kubecache's Logger, without depending on pino.

import type { LogFields, Logger } from '../../src/index.ts';

/** The part of pino's API the adapter uses: `level(mergingObject, message)` and `child(bindings)`. */
export interface PinoLike {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: Record<string, unknown>): PinoLike;
}

/**
 * kubecache's Logger over `pino`: fields become pino's merging object, `child` maps to pino's.
 *
 * @example
 * import pino from 'pino';
 * const cache = new Cache(kubeConfig, { logger: pinoLogger(pino({ level: 'debug' })) });
 * // {"level":30,"gvk":"/v1, Kind=Pod","namespace":"","count":12,"resourceVersion":"4711","msg":"listed pods"}
 */
export function pinoLogger(pino: PinoLike): Logger {
  const fieldsOf = (fields: LogFields | undefined): object => fields ?? {};
  return {
    debug: (msg, fields) => pino.debug(fieldsOf(fields), msg),
    info: (msg, fields) => pino.info(fieldsOf(fields), msg),
    warn: (msg, fields) => pino.warn(fieldsOf(fields), msg),
    error: (msg, fields) => pino.error(fieldsOf(fields), msg),
    child: (fields) => pinoLogger(pino.child({ ...fields })),
  };
}
