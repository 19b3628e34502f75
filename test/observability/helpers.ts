// Shared helpers of the observability tests: a logger that records its lines.

import type { LogFields, Logger, LogLevel } from '../../src/api/logger.ts';

/** One recorded log line. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: LogFields;
}

/** A logger keeping every line (with the fields bound by `child`) in `records`. */
export interface RecordingLogger extends Logger {
  readonly records: LogRecord[];
}

/** A {@link RecordingLogger}; children share their parent's `records`. */
export function recordingLogger(records: LogRecord[] = [], bound: LogFields = {}): RecordingLogger {
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    records.push({ level, msg, fields: { ...bound, ...fields } });
  };
  return {
    records,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => recordingLogger(records, { ...bound, ...fields }),
  };
}

/** The records whose message starts with `prefix`. */
export function linesStartingWith(records: readonly LogRecord[], prefix: string): LogRecord[] {
  return records.filter((r) => r.msg.startsWith(prefix));
}
