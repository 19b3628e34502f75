// `metadata.managedFields` on the wire and in memory: decoding entries into per-manager field sets,
// manager identifiers, and encoding back in the server's order.

import type { StatusCause } from '../../../api/types.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import { fieldManagerCauses } from '../write-options.ts';
import { FieldSet } from './field-set.ts';
import { goJson } from '../go-format.ts';
import type { ManagerSets } from './updater.ts';

/** What identifies a manager: name, operation, apiVersion (Update only) and subresource. */
export interface ManagerIdentity {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion?: string;
  readonly subresource?: string;
}

/** Field sets by manager identifier plus when each manager last changed the object. */
export interface Managed {
  readonly fields: ManagerSets;
  readonly times: Map<string, string | undefined>;
}

/** An empty Managed. */
export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

/**
 * The identifier of a manager: the JSON of its ManagedFieldsEntry without time and fields (Apply
 * entries without apiVersion, so one applier is one manager across versions). Conflicts sort by it.
 */
export function managerIdentifier(identity: ManagerIdentity): string {
  const entry: JsonObject = {};
  if (identity.manager !== '') entry['manager'] = identity.manager;
  entry['operation'] = identity.operation;
  if (identity.operation === 'Update' && identity.apiVersion !== undefined && identity.apiVersion !== '') entry['apiVersion'] = identity.apiVersion;
  if (identity.subresource !== undefined && identity.subresource !== '') entry['subresource'] = identity.subresource;
  return `{${Object.entries(entry).map(([k, v]) => `"${k}":${goJson(v)}`).join(',')}}`;
}

/** The identity an identifier stands for. */
export function parseIdentifier(id: string): ManagerIdentity {
  const entry = JSON.parse(id) as Record<string, string | undefined>;
  return {
    manager: entry['manager'] ?? '',
    operation: entry['operation'] === 'Apply' ? 'Apply' : 'Update',
    ...(entry['apiVersion'] === undefined ? {} : { apiVersion: entry['apiVersion'] }),
    ...(entry['subresource'] === undefined ? {} : { subresource: entry['subresource'] }),
  };
}

function text(entry: JsonObject, key: string): string {
  const v = entry[key];
  return typeof v === 'string' ? v : '';
}

/**
 * Decodes `metadata.managedFields`; throws on what the server cannot decode (an operation other than
 * Apply/Update, no apiVersion, a fieldsType other than FieldsV1, malformed fieldsV1).
 */
export function decodeManagedFields(entries: unknown): Managed {
  const managed = emptyManaged();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((entry: unknown, i) => {
    if (!isJsonObject(entry)) throw new Error(`managed fields entry ${i} is not an object`);
    const operation = entry['operation'];
    if (operation !== 'Apply' && operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    const apiVersion = text(entry, 'apiVersion');
    if (apiVersion === '') throw new Error('apiVersion must not be empty');
    const fieldsType = text(entry, 'fieldsType');
    if (fieldsType === '') throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(fieldsType)} in managed fields entry ${i}`);
    const id = managerIdentifier({ manager: text(entry, 'manager'), operation, apiVersion, subresource: text(entry, 'subresource') });
    const set = entry['fieldsV1'] === undefined || entry['fieldsV1'] === null ? new FieldSet() : FieldSet.fromFieldsV1(entry['fieldsV1']);
    managed.fields.set(id, { set, apiVersion, applied: operation === 'Apply' });
    const time = entry['time'];
    managed.times.set(id, typeof time === 'string' && time !== '' ? time : undefined);
  });
  return managed;
}

function seconds(time: string | undefined): number {
  if (time === undefined) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function compareStrings(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The wire form: one entry per manager (keys in the API's order, empty ones left out), sorted by
 * operation (Apply first), time in seconds, manager, apiVersion, subresource. Undefined when no
 * manager is left.
 */
export function encodeManagedFields(managed: Managed): JsonObject[] | undefined {
  if (managed.fields.size === 0) return undefined;
  const entries = [...managed.fields].map(([id, owned]) => {
    const identity = parseIdentifier(id);
    const operation = owned.applied ? 'Apply' : identity.operation;
    const time = managed.times.get(id);
    const entry: JsonObject = {};
    if (identity.manager !== '') entry['manager'] = identity.manager;
    entry['operation'] = operation;
    if (owned.apiVersion !== '') entry['apiVersion'] = owned.apiVersion;
    if (time !== undefined) entry['time'] = time;
    entry['fieldsType'] = 'FieldsV1';
    entry['fieldsV1'] = owned.set.toFieldsV1();
    if (identity.subresource !== undefined) entry['subresource'] = identity.subresource;
    return { entry, operation, time, identity, apiVersion: owned.apiVersion };
  });
  entries.sort(
    (p, q) =>
      compareStrings(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      compareStrings(p.identity.manager, q.identity.manager) ||
      compareStrings(p.apiVersion, q.apiVersion) ||
      compareStrings(p.identity.subresource, q.identity.subresource),
  );
  return entries.map((e) => e.entry);
}

/** The longest subresource name an entry may carry. */
const MAX_SUBRESOURCE_LENGTH = 256;

/** The object validation of `metadata.managedFields` entries (operation, fieldsType, manager, subresource) as 422 causes. */
export function managedFieldsCauses(entries: unknown): StatusCause[] {
  if (!Array.isArray(entries)) return [];
  const causes: StatusCause[] = [];
  entries.forEach((entry: unknown, i) => {
    if (!isJsonObject(entry)) return;
    const field = `metadata.managedFields[${i}]`;
    const operation = text(entry, 'operation');
    if (operation === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value: must not be empty', field: `${field}.operation` });
    else if (operation !== 'Apply' && operation !== 'Update') {
      causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(operation)}: supported values: "Apply", "Update"`, field: `${field}.operation` });
    }
    const fieldsType = text(entry, 'fieldsType');
    if (fieldsType !== '' && fieldsType !== 'FieldsV1') {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(fieldsType)}: must be \`FieldsV1\``, field: `${field}.fieldsType` });
    }
    causes.push(...fieldManagerCauses(text(entry, 'manager'), `${field}.manager`));
    if (text(entry, 'subresource').length > MAX_SUBRESOURCE_LENGTH) {
      causes.push({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${MAX_SUBRESOURCE_LENGTH} bytes`, field: `${field}.subresource` });
    }
  });
  return causes;
}
