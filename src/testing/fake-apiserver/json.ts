// Small JSON helpers: plain-object checks and equality (shared with the api layer), deep copies.

export { isJsonObject, jsonEqual, type JsonObject } from '../../api/json.ts';

/** A mutable deep copy of a JSON value (drops undefined, functions and prototypes). */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
