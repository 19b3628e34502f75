// A write's body decoded as its kind, as the server decodes it: unknown fields under the
// fieldValidation directive (Strict, Warn, Ignore), and values of the wrong type — a Go decoding error
// for the built-in kinds (400 on a create or update, 422 on the field `patch` of a patch), a schema
// validation error for custom resources (422 Invalid).

import { StatusError } from '../../api/errors.ts';
import type { StatusCause, UnstructuredObject } from '../../api/types.ts';
import { goJson, goQuote, goValue } from './go-format.ts';
import { isJsonObject } from './json.ts';
import type { PatchType } from './patch.ts';
import type { ResourceType } from './registry.ts';
import { kindSchemas, type SchemaSource } from './schema/kind-schemas.ts';
import { checkAgainstSchema, type SchemaCheck, type TypeMismatch } from './schema/schema-check.ts';
import * as status from './status.ts';

/** The `fieldValidation` query parameter; absent means `Warn`. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** A decoded body: without unknown fields, and the warnings the response carries for them. */
export interface DecodedWrite {
  readonly body: UnstructuredObject;
  /** `unknown field "spec.foo"` for each field the schema does not declare, in document order (Warn only). */
  readonly warnings: readonly string[];
}

/** What a write decodes: the main resource (every field) or `/status` (only status counts). */
export type WrittenPart = 'object' | 'status';

/** The kind a body decodes as: a served ResourceType, or a subresource's kind such as Scale. */
export type DecodedKind = SchemaSource & Pick<ResourceType, 'custom' | 'statusSubresource'>;

/**
 * Reads `fieldValidation`; a value other than Ignore, Warn or Strict is 422, as
 * ValidateFieldValidation answers it for the request's options kind.
 */
export function fieldValidationOf(query: URLSearchParams, optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions'): FieldValidation {
  const value = query.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if (value === 'Ignore' || value === 'Warn' || value === 'Strict') return value;
  const message = `Unsupported value: ${JSON.stringify(value)}: supported values: "", "Ignore", "Strict", "Warn"`;
  throw status.invalidOptions(optionsKind, 'fieldValidation', 'FieldValueNotSupported', message);
}

function check(rt: DecodedKind, obj: UnstructuredObject): SchemaCheck {
  return checkAgainstSchema(obj, kindSchemas(rt), !rt.custom);
}

/** An object without the fields its kind's schema does not declare (what a stored object decodes to). */
export function prunedToSchema(rt: DecodedKind, obj: UnstructuredObject): UnstructuredObject {
  const pruned = check(rt, obj).value;
  return isJsonObject(pruned) ? (pruned) : obj;
}

// The JSON kind Go's decoder names in `cannot unmarshal <kind>`; a number that an integer type cannot hold is shown.
function goJsonKind(m: TypeMismatch): string {
  const v = m.value;
  if (typeof v === 'number') return m.goType.startsWith('int') ? `number ${v}` : 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

/** encoding/json's UnmarshalTypeError, as a create, an update or a JSON/merge patch meets it. */
function unmarshalError(m: TypeMismatch): string {
  if (m.decodeError !== undefined) return m.decodeError;
  return `json: cannot unmarshal ${goJsonKind(m)} into Go struct field ${m.goStruct}.${m.goField} of type ${m.goType}`;
}

// The reflect.Kind of decoded JSON, as runtime.DefaultUnstructuredConverter names it.
function unstructuredKind(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'slice' : 'map';
}

/** The unstructured converter's error, as a strategic merge patch meets it (FromUnstructured). */
function converterError(m: TypeMismatch): string {
  // A type with its own UnmarshalJSON (a time) is decoded through it by the converter as well.
  if (m.decodeError !== undefined) return m.decodeError;
  const from = unstructuredKind(m.value);
  if (m.goType.startsWith('[]')) return `cannot restore slice from ${from}`;
  if (m.goType.startsWith('map[')) return `cannot restore map from ${from}`;
  if (m.goType.includes('.')) return `cannot restore struct from: ${from}`;
  // JSON's four groups (bools, integers, floats, strings) do not convert into each other.
  const convertible = (from === 'int64' && m.goType === 'string') || (from === 'float64' && m.goType.startsWith('int'));
  return convertible ? `cannot convert ${from} to ${m.goType}` : `unrecognized type: ${m.goType}`;
}

function strictError(unknown: readonly string[]): string {
  return `strict decoding error: ${unknown.map((path) => `unknown field ${JSON.stringify(path)}`).join(', ')}`;
}

// The JSON type kube-openapi's validator finds in a value.
function openApiType(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

/** A custom resource's wrong types as its schema validation answers them: 422 with one cause each. */
function crdTypeErrors(rt: DecodedKind, obj: UnstructuredObject, mismatches: readonly TypeMismatch[]): StatusError {
  const causes: StatusCause[] = mismatches.map((m) => {
    const actual = openApiType(m.value);
    return { reason: 'FieldValueTypeInvalid', message: `Invalid value: "${actual}": ${m.path} in body must be of type ${m.expected}: "${actual}"`, field: m.path };
  });
  return status.invalid(rt, obj.metadata?.name ?? '', causes);
}

// What a custom resource's write validates: the main resource never writes status when the kind has a
// status subresource, `/status` writes nothing else.
function written(rt: DecodedKind, part: WrittenPart, path: string): boolean {
  const top = path.split(/[.[]/, 1)[0];
  if (part === 'status') return top === 'status';
  return !rt.statusSubresource || top !== 'status';
}

function warningsFor(directive: FieldValidation, unknown: readonly string[]): readonly string[] {
  return directive === 'Warn' ? unknown.map((path) => `unknown field ${JSON.stringify(path)}`) : [];
}

function bodyOf(result: SchemaCheck, fallback: UnstructuredObject): UnstructuredObject {
  return isJsonObject(result.value) ? (result.value) : fallback;
}

/**
 * Decodes the body of a create or update. A built-in kind's value of the wrong type is the decoder's
 * 400 (`Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into
 * Go struct field DeploymentSpec.spec.replicas of type int32`, the first one only); unknown fields are
 * dropped, and under `Strict` a 400 (`… cannot be handled as a Deployment: strict decoding error:
 * unknown field "spec.foo"`, every one); a custom resource's values of the wrong type are its schema
 * validation's 422. Duplicate JSON keys are not detected (the JSON parser keeps the last).
 */
export function decodeWriteBody(rt: DecodedKind, body: UnstructuredObject, directive: FieldValidation, part: WrittenPart = 'object'): DecodedWrite {
  if (directive === 'Ignore' && rt.custom && rt.openApiV3Schema === undefined) return { body, warnings: [] };
  const result = check(rt, body);
  const cannotHandle = (detail: string): StatusError =>
    status.badRequest(`${rt.kind} in version ${JSON.stringify(rt.version)} cannot be handled as a ${rt.kind}: ${detail}`);
  const [first] = result.mismatches;
  if (!rt.custom && first !== undefined) throw cannotHandle(unmarshalError(first));
  if (directive === 'Strict' && result.unknown.length > 0) throw cannotHandle(strictError(result.unknown));
  const invalid = rt.custom ? result.mismatches.filter((m) => written(rt, part, m.path)) : [];
  if (invalid.length > 0) throw crdTypeErrors(rt, body, invalid);
  return { body: bodyOf(result, body), warnings: warningsFor(directive, result.unknown) };
}

/** What a patch decoding needs besides the patched object. */
export interface PatchDecoding {
  readonly type: Exclude<PatchType, 'apply'>;
  /** The patch as sent (a strategic merge error shows it). */
  readonly patch: unknown;
  /** The stored object: what it already held beyond the schema is not the patch's doing. */
  readonly current: UnstructuredObject;
  readonly directive: FieldValidation;
  readonly part: WrittenPart;
}

/**
 * Decodes the result of a merge, JSON or strategic merge patch. A built-in kind's value of the wrong
 * type, and under `Strict` unknown fields, are the patch handler's 422 on the field `patch`, whose value
 * is the patched object's JSON (merge and JSON patch) or the patch as Go prints it (strategic merge);
 * a custom resource's values of the wrong type are its schema validation's 422.
 */
export function decodePatchResult(rt: DecodedKind, patched: UnstructuredObject, decoding: PatchDecoding): DecodedWrite {
  const { type, patch, current, directive, part } = decoding;
  if (directive === 'Ignore' && rt.custom && rt.openApiV3Schema === undefined) return { body: patched, warnings: [] };
  const before = check(rt, current);
  const known = new Set([...before.unknown, ...before.mismatches.map((m) => m.path)]);
  const result = check(rt, patched);
  const unknown = result.unknown.filter((path) => !known.has(path));
  const mismatches = result.mismatches.filter((m) => !known.has(m.path));
  const invalidPatch = (detail: string): StatusError => {
    const value = type === 'strategic' ? goValue(patch) : goJson(patched);
    const message = `Invalid value: ${goQuote(value)}: ${detail}`;
    return StatusError.of(422, 'Invalid', ` "" is invalid: patch: ${message}`, { causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }] });
  };
  const [first] = mismatches;
  if (!rt.custom && first !== undefined) throw invalidPatch(type === 'strategic' ? converterError(first) : unmarshalError(first));
  if (directive === 'Strict' && unknown.length > 0) throw invalidPatch(strictError(unknown));
  const invalid = rt.custom ? mismatches.filter((m) => written(rt, part, m.path)) : [];
  if (invalid.length > 0) throw crdTypeErrors(rt, patched, invalid);
  return { body: bodyOf(result, patched), warnings: warningsFor(directive, unknown) };
}
