// Server-side metadata rules: name validation, generateName, timestamps, generation.

import { randomInt } from 'node:crypto';
import type { StatusCause, UnstructuredObject } from '../../api/types.ts';
import { isQualifiedName, isValidLabelValue } from '../../api/validation.ts';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Now as the API serialises times: RFC 3339, UTC, second precision. */
export function nowTimestamp(): string {
  const second = Math.floor(Date.now() / 1000);
  // Seeding many objects formats the same second over and over; reuse the string.
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedTimestamp = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return cachedTimestamp;
}

let cachedSecond = -1;
let cachedTimestamp = '';

/** A name from `generateName`: the prefix (cut to 58 chars) plus five random characters. */
export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  return `${prefix.slice(0, 58)}${suffix}`;
}

/**
 * Validates an object name; Namespaces must be DNS-1123 labels, everything else DNS-1123
 * subdomains. Returns the 422 causes, empty when valid.
 */
export function validateName(kind: string, name: string): StatusCause[] {
  const label = kind === 'Namespace' || kind === 'Service';
  const max = label ? 63 : 253;
  const ok = (label ? LABEL : SUBDOMAIN).test(name) && name.length <= max;
  if (ok) return [];
  const what = label
    ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  const message = name.length > max ? `Invalid value: "${name}": must be no more than ${max} characters` : `Invalid value: "${name}": ${what}`;
  return [{ reason: 'FieldValueInvalid', message, field: 'metadata.name' }];
}

/**
 * Validates label keys (qualified names) and values as the real ObjectMeta validation does.
 * Returns the 422 causes, empty when valid.
 */
export function validateLabels(labels: Readonly<Record<string, unknown>> | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(key)) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(key)}: ${msg}`, field: 'metadata.labels' });
    }
    const text = typeof value === 'string' ? value : '';
    const problems = typeof value === 'string' ? isValidLabelValue(text) : ['must be a string'];
    for (const msg of problems) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(text)}: ${msg}`, field: `metadata.labels` });
    }
  }
  return causes;
}

/** True when the object carries at least one finalizer. */
export function hasFinalizers(obj: UnstructuredObject): boolean {
  return (obj.metadata?.finalizers?.length ?? 0) > 0;
}
