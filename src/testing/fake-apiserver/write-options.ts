// The query options of writes (CreateOptions, UpdateOptions, PatchOptions): dryRun, fieldManager,
// force and fieldValidation, validated as the real server does, and the field manager a write is
// recorded under.

import { StatusError } from '../../api/errors.ts';
import type { StatusCause } from '../../api/types.ts';

/** The longest field manager name the server accepts, in bytes. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/** Which options a write takes. */
export type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/** The write options a request carries. */
export interface WriteOptions {
  readonly dryRun: boolean;
  /** The `fieldManager` parameter, '' when absent. */
  readonly fieldManager: string;
  /** `force` of an apply (false when absent). */
  readonly force: boolean;
}

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

function goQuoteValue(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}

/** The problems of a field manager name (length in bytes, printable characters), as 422 causes. */
export function fieldManagerCauses(manager: string, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (Buffer.byteLength(manager, 'utf8') > FIELD_MANAGER_MAX_LENGTH) {
    causes.push({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes`, field });
  }
  let position = 0;
  for (const char of manager) {
    if (NOT_PRINTABLE.test(char)) {
      const code = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${goQuoteValue(manager)}: invalid character U+${code} (at position ${position})`, field });
    }
    position += Buffer.byteLength(char, 'utf8');
  }
  return causes;
}

/** A 422 for invalid options, worded as `errors.NewInvalid` words it (several causes in brackets). */
export function invalidOptions(kind: string, causes: readonly StatusCause[]): StatusError {
  const parts = causes.map((c) => `${c.field ?? ''}: ${c.message ?? ''}`);
  const text = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
  return StatusError.of(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${text}`, { group: 'meta.k8s.io', kind, causes: [...causes] });
}

const FIELD_VALIDATION = ['', 'Ignore', 'Strict', 'Warn'];

/**
 * Reads and validates a write's options. `apply` says whether a PATCH is an apply patch (it requires
 * a fieldManager; only it may carry `force`). Throws the server's 422.
 */
export function writeOptions(kind: WriteOptionsKind, query: URLSearchParams, apply = false): WriteOptions {
  const causes: StatusCause[] = [];
  const fieldManager = query.get('fieldManager') ?? '';
  const force = query.get('force');
  if (kind === 'PatchOptions') {
    if (apply && fieldManager === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' });
    if (!apply && force !== null) causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' });
  }
  causes.push(...fieldManagerCauses(fieldManager, 'fieldManager'));
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((v) => v !== 'All')) {
    causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(dryRun)}: supported values: "All"`, field: 'dryRun' });
  }
  const validation = query.get('fieldValidation') ?? '';
  if (!FIELD_VALIDATION.includes(validation)) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(validation)}: supported values: ${FIELD_VALIDATION.map((v) => JSON.stringify(v)).join(', ')}`,
      field: 'fieldValidation',
    });
  }
  if (causes.length > 0) throw invalidOptions(kind, causes);
  return { dryRun: dryRun.length > 0, fieldManager, force: force !== null && !(force === '0' || force.toLowerCase() === 'false') };
}

/**
 * The manager a non-apply write is recorded under: the `fieldManager` parameter, else the User-Agent
 * up to its first `/` without unprintable characters, cut to 128 bytes (kubectl → `kubectl`).
 */
export function managerOrUserAgent(fieldManager: string, userAgent: string | undefined): string {
  if (fieldManager !== '') return fieldManager;
  let out = '';
  for (const char of (userAgent ?? '').split('/')[0] ?? '') {
    if (NOT_PRINTABLE.test(char)) continue;
    if (Buffer.byteLength(out + char, 'utf8') > FIELD_MANAGER_MAX_LENGTH) break;
    out += char;
  }
  return out;
}
