// A write's body checked against its kind's published schema, as the server decodes it: the fields
// the schema does not declare (dropped; fieldValidation reports them) and the values of the wrong JSON
// type, with what the Go decoder (built-in kinds) or the CRD validator (custom resources) needs to
// word them.

import { goTimeParseError, type GoTimeType } from '../go-time.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import { isUntypedScalar, resolveNamed, type KindSchemas } from './kind-schemas.ts';
import { ref } from './model-schemas.ts';

/** A value whose JSON type is not the one its schema declares. */
export interface TypeMismatch {
  /** Where, with list indices: `spec.items[0].size` (the CRD validator's form). */
  readonly path: string;
  /** Where, as Go's decoder names it: field names only, map keys and indices left out (`spec.template.spec.containers.image`). */
  readonly goField: string;
  /** The Go struct whose field holds the value (`Container`); the kind's own at the top. */
  readonly goStruct: string;
  /** The Go type the value decodes into (`int32`, `v1.PodSpec`, `map[string]string`). */
  readonly goType: string;
  /** The OpenAPI type the schema declares (`integer`, `string`, `object`…). */
  readonly expected: string;
  readonly value: unknown;
  /** What a type with a decoder of its own (a time) answers instead of encoding/json's words. */
  readonly decodeError?: string;
}

/** The body as the schema admits it, and what did not fit. */
export interface SchemaCheck {
  /** The value without the fields the schema does not declare. */
  readonly value: unknown;
  /** The paths of those fields (`spec.foo`, `spec.containers[0].bar`), in document order. */
  readonly unknown: readonly string[];
  /** Values of the wrong type, in document order; nulls always fit. */
  readonly mismatches: readonly TypeMismatch[];
}

interface Location {
  readonly path: string;
  readonly goField: string;
  readonly goStruct: string;
}

function child(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function shortName(definition: string): string {
  return definition.slice(definition.lastIndexOf('.') + 1);
}

const INT32 = 2 ** 31;

// Whether a value has the JSON type a schema declares; for Go decoding an int32 must also fit in one.
function fits(type: string, int32: boolean, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isJsonObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && (!int32 || (value >= -INT32 && value < INT32));
    default:
      return true;
  }
}

class Check {
  readonly unknown: string[] = [];
  readonly mismatches: TypeMismatch[] = [];
  readonly #definitions: ReadonlyMap<string, JsonObject>;
  readonly #goDecoding: boolean;

  constructor(definitions: ReadonlyMap<string, JsonObject>, goDecoding: boolean) {
    this.#definitions = definitions;
    this.#goDecoding = goDecoding;
  }

  /** The Go type a property's schema decodes into: a named struct as `v1.PodSpec`, scalars by format. */
  goType(schema: JsonObject | undefined): string {
    const resolved = resolveNamed(schema, this.#definitions);
    if (resolved === undefined) return 'interface {}';
    const { schema: s, name } = resolved;
    if (name !== undefined && isJsonObject(s['properties'])) return name.split('.').slice(-2).join('.');
    const items = s['items'];
    const values = s['additionalProperties'];
    switch (s['type']) {
      case 'integer':
        return s['format'] === 'int32' ? 'int32' : 'int64';
      case 'number':
        return 'float64';
      case 'string':
        return s['format'] === 'byte' ? '[]uint8' : 'string';
      case 'boolean':
        return 'bool';
      case 'array':
        return `[]${this.goType(isJsonObject(items) ? items : undefined)}`;
      case 'object':
        return isJsonObject(values) ? `map[string]${this.goType(values)}` : 'map[string]interface {}';
      default:
        return 'interface {}';
    }
  }

  value(value: unknown, schema: JsonObject, at: Location): unknown {
    const resolved = resolveNamed(schema, this.#definitions);
    if (resolved === undefined || value === null) return value;
    const s = resolved.schema;
    if (s['format'] === 'date-time') {
      if (this.#goDecoding) this.#time(value, resolved.name, at);
      return value;
    }
    // Values with decoders of their own (quantities, int-or-string) are not type-checked.
    if (isUntypedScalar(s)) return value;
    const type = typeof s['type'] === 'string' ? s['type'] : isJsonObject(s['properties']) ? 'object' : undefined;
    if (type === undefined) return value;
    if (!fits(type, this.#goDecoding && s['format'] === 'int32', value)) {
      this.mismatches.push({ ...at, goType: this.goType(schema), expected: type, value });
      return value;
    }
    if (Array.isArray(value)) {
      const items = s['items'];
      return isJsonObject(items) ? value.map((item, i) => this.value(item, items, { ...at, path: `${at.path}[${i}]` })) : value;
    }
    return isJsonObject(value) ? this.#object(value, s, resolved.name === undefined ? at.goStruct : shortName(resolved.name), at) : value;
  }

  // metav1.Time and MicroTime decode a JSON string with time.Parse in their layout; anything else is
  // the string decode's error, without a struct field (it happens inside their UnmarshalJSON).
  #time(value: unknown, definition: string | undefined, at: Location): void {
    const type: GoTimeType = definition?.endsWith('.MicroTime') === true ? 'MicroTime' : 'Time';
    const decodeError =
      typeof value === 'string' ? goTimeParseError(type, value) : `json: cannot unmarshal ${Array.isArray(value) ? 'array' : isJsonObject(value) ? 'object' : typeof value} into Go value of type string`;
    if (decodeError !== undefined) this.mismatches.push({ ...at, goType: `v1.${type}`, expected: 'string', value, decodeError });
  }

  // A struct's declared fields, a map's values, preserved or embedded fields; anything else is unknown.
  #object(value: JsonObject, s: JsonObject, struct: string, at: Location): JsonObject {
    const properties = isJsonObject(s['properties']) ? s['properties'] : undefined;
    const additional = isJsonObject(s['additionalProperties']) ? s['additionalProperties'] : undefined;
    if (properties === undefined && additional === undefined) return value;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    // An embedded resource (x-kubernetes-embedded-resource) always has room for its type and metadata.
    const embedded = s['x-kubernetes-embedded-resource'] === true;
    const out: JsonObject = {};
    for (const [key, field] of Object.entries(value)) {
      const path = child(at.path, key);
      const declared = properties?.[key];
      if (isJsonObject(declared)) out[key] = this.value(field, declared, { path, goField: child(at.goField, key), goStruct: struct });
      else if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) out[key] = field;
      else if (additional !== undefined) out[key] = this.value(field, additional, { ...at, path });
      else if (preserve) out[key] = field;
      else this.unknown.push(path);
    }
    return out;
  }
}

/**
 * Checks a value against a kind's schemas: undeclared fields are dropped (as decoding into the Go type
 * or pruning drops them) and reported, values of the wrong type reported. A node that preserves
 * unknown fields keeps them; an object schema without properties (RawExtension, free-form maps) takes
 * any content. With `goDecoding` (built-in kinds) an `int32` out of its range is a mismatch too.
 */
export function checkAgainstSchema(value: unknown, schemas: KindSchemas, goDecoding: boolean): SchemaCheck {
  const check = new Check(schemas.definitions, goDecoding);
  const out = check.value(value, ref(schemas.root), { path: '', goField: '', goStruct: shortName(schemas.root) });
  return { value: out, unknown: check.unknown, mismatches: check.mismatches };
}
