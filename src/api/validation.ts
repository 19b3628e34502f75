// apimachinery's name and label-value validation, the rules selectors apply to keys and values.

import { ReasonedError } from './reasoned-error.ts';

const QUALIFIED_NAME_MAX = 63;
const LABEL_VALUE_MAX = 63;
const DNS1123_SUBDOMAIN_MAX = 253;

const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const NAME_CHARSET_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

// apimachinery's two problems a value can have under a length-and-pattern rule, in its words.
function lengthAndPattern(value: string, max: number, pattern: RegExp, patternProblem: string): string[] {
  const errs: string[] = [];
  if (value.length > max) errs.push(`must be no more than ${max} characters`);
  if (!pattern.test(value)) errs.push(patternProblem);
  return errs;
}

/**
 * Checks a qualified name (`[prefix/]name`) as label keys require: an optional DNS-1123
 * subdomain prefix, then a name of at most 63 characters, alphanumeric at both ends.
 *
 * @returns the problems found; empty when the key is valid.
 */
export function isQualifiedName(value: string): string[] {
  const parts = value.split('/');
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    return [`a qualified name ${NAME_CHARSET_MSG} with an optional DNS subdomain prefix and '/'`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX) errs.push(`name part must be no more than ${QUALIFIED_NAME_MAX} characters`);
  if (name.length > 0 && !QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${NAME_CHARSET_MSG}`);
  return errs;
}

/**
 * Checks a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', at most 253 characters).
 *
 * @returns the problems found; empty when valid.
 */
export function isDNS1123Subdomain(value: string): string[] {
  return lengthAndPattern(
    value,
    DNS1123_SUBDOMAIN_MAX,
    DNS1123_SUBDOMAIN_RE,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  );
}

/**
 * Checks a label value: empty, or at most 63 characters, alphanumeric at both ends with
 * '-', '_' and '.' inside.
 *
 * @returns the problems found; empty when valid.
 */
export function isValidLabelValue(value: string): string[] {
  return lengthAndPattern(value, LABEL_VALUE_MAX, LABEL_VALUE_RE, `a valid label must be an empty string or ${NAME_CHARSET_MSG}`);
}

const DNS1123_LABEL_MAX = 63;
const DNS1123_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks a DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters): the rule
 * every Namespace name obeys, so a namespace failing it cannot exist on any server.
 *
 * @returns the problems found; empty when valid.
 * @category API Machinery
 */
export function isDNS1123Label(value: string): string[] {
  return lengthAndPattern(
    value,
    DNS1123_LABEL_MAX,
    DNS1123_LABEL_RE,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  );
}

/**
 * Checks that a name can stand as one segment of a request path, the check the APIServer
 * applies to names in paths (apimachinery's IsPathSegmentName): not `.` or `..`, no `/` or `%`.
 * Object names are not checked against the DNS rules here: some kinds (RBAC roles such as
 * `system:controller:job-controller`) allow more.
 *
 * @returns the problems found; empty when valid.
 * @category API Machinery
 */
export function isPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const errs: string[] = [];
  if (value.includes('/')) errs.push("may not contain '/'");
  if (value.includes('%')) errs.push("may not contain '%'");
  return errs;
}

/**
 * Which part of a request path an {@link InvalidNameError} rejects.
 * @category Errors
 */
export type NameField = 'namespace' | 'name' | 'subresource';

/**
 * A namespace, object name or subresource that must not reach a request path: a namespace that
 * is not a DNS-1123 label, or a name that is empty, `.` or `..`, or holds `/` or `%`. Raised
 * before any request is sent, so a hostile or mistyped value can never address another
 * namespace or collection. `code` 400 mirrors the server's BadRequest. Not retryable.
 * @category Errors
 */
export class InvalidNameError extends ReasonedError<'InvalidName'> {
  override readonly name = 'InvalidNameError';
  /** What was rejected. */
  readonly field: NameField;
  /** The rejected value. */
  readonly value: string;
  /** Each rule it breaks. */
  readonly problems: readonly string[];

  constructor(field: NameField, value: string, problems: readonly string[]) {
    super('InvalidName', `invalid ${field} ${JSON.stringify(value)}: ${problems.join('; ')}`, { code: 400 });
    this.field = field;
    this.value = value;
    this.problems = problems;
  }
}

/**
 * Throws InvalidNameError unless `namespace` is a DNS-1123 label ("" is not one: callers that
 * mean "all namespaces" leave the namespace out before calling this).
 */
export function assertValidNamespace(namespace: string): void {
  const problems = isDNS1123Label(namespace);
  if (problems.length > 0) throw new InvalidNameError('namespace', namespace, problems);
}

/** Throws InvalidNameError unless `name` is non-empty and a valid path segment name. */
export function assertValidPathName(name: string, field: 'name' | 'subresource' = 'name'): void {
  const problems = name === '' ? ['may not be empty'] : isPathSegmentName(name);
  if (problems.length > 0) throw new InvalidNameError(field, name, problems);
}
