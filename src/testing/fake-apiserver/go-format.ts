// Values printed as the Go code of the real server prints them: encoding/json's output, `%q`, `%v` of
// decoded JSON, and the Go types that JSON decodes into.

import { isJsonObject } from './json.ts';

const GO_JSON_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function sortedKeys(o: object): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** JSON as Go's encoding/json writes it: map keys sorted, HTML characters and U+2028/9 escaped. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const o = value as Readonly<Record<string, unknown>>;
    return `{${sortedKeys(o).map((k) => `${goJson(k)}:${goJson(o[k])}`).join(',')}}`;
  }
  const text = JSON.stringify(value) ?? 'null';
  return typeof value === 'string' ? text.replace(/[<>&\u2028\u2029]/g, (c) => GO_JSON_ESCAPES[c] ?? c) : text;
}

const GO_QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u000b': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** A string quoted as Go's `%q` does (the form paths print keys and values in). */
export function goQuote(s: string): string {
  const body = s.replace(/[\u0000-\u001f"\\\u007f\u2028\u2029]/g, (c) => {
    const named = GO_QUOTE_ESCAPES[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `"${body}"`;
}

/** `%v` of JSON decoded into Go's interface{} (unstructured): `map[a:1 b:[x y]]`, strings bare, null `<nil>`. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (isJsonObject(value)) return `map[${sortedKeys(value).map((k) => `${k}:${goValue(value[k])}`).join(' ')}]`;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** The Go type JSON decodes into as unstructured content: `int64`, `float64`, `string`, `bool`, `[]interface {}`, `map[string]interface {}`. */
export function goUnstructuredType(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  return isJsonObject(value) ? 'map[string]interface {}' : '<nil>';
}
