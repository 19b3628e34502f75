// What one CRD version adds to its served kind: the scale subresource, printer columns and schema.

import { isJsonObject, type JsonObject } from './json.ts';
import type { PrinterColumn, ScaleSubresource } from './registry.ts';

/** The parts of a `spec.versions[]` entry beyond name, served and storage. */
export interface CrdVersionExtras {
  readonly scale?: ScaleSubresource;
  readonly printerColumns?: readonly PrinterColumn[];
  readonly openApiV3Schema?: JsonObject;
}

/** A field error of CRD validation, `field: message` as the real validation words it. */
export interface CrdFieldError {
  readonly field: string;
  readonly message: string;
}

const COLUMN_TYPES: readonly PrinterColumn['type'][] = ['boolean', 'date', 'integer', 'number', 'string'];

function isColumnType(value: unknown): value is PrinterColumn['type'] {
  return COLUMN_TYPES.some((t) => t === value);
}

function readScale(subresources: unknown): ScaleSubresource | undefined {
  if (!isJsonObject(subresources) || !isJsonObject(subresources['scale'])) return undefined;
  const scale = subresources['scale'];
  const spec = scale['specReplicasPath'];
  const status = scale['statusReplicasPath'];
  if (typeof spec !== 'string' || typeof status !== 'string') return undefined;
  const selector = scale['labelSelectorPath'];
  const out: ScaleSubresource = { specReplicasPath: spec, statusReplicasPath: status };
  return typeof selector === 'string' && selector !== '' ? { ...out, labelSelectorPath: selector } : out;
}

function readColumn(raw: unknown): PrinterColumn | undefined {
  if (!isJsonObject(raw)) return undefined;
  const { name, type, jsonPath } = raw;
  if (typeof name !== 'string' || !isColumnType(type) || typeof jsonPath !== 'string') return undefined;
  const description = typeof raw['description'] === 'string' && raw['description'] !== '' ? raw['description'] : `Custom resource definition column (in JSONPath format): ${jsonPath}`;
  return {
    name,
    type,
    format: typeof raw['format'] === 'string' ? raw['format'] : '',
    description,
    priority: typeof raw['priority'] === 'number' ? raw['priority'] : 0,
    jsonPath,
  };
}

/** Reads the scale subresource, printer columns and `schema.openAPIV3Schema` of one version entry. */
export function readVersionExtras(version: JsonObject): CrdVersionExtras {
  const columns = version['additionalPrinterColumns'];
  const schema = isJsonObject(version['schema']) ? version['schema']['openAPIV3Schema'] : undefined;
  const scale = readScale(version['subresources']);
  return {
    ...(scale === undefined ? {} : { scale }),
    ...(Array.isArray(columns) ? { printerColumns: columns.map(readColumn).filter((c) => c !== undefined) } : {}),
    ...(isJsonObject(schema) ? { openApiV3Schema: schema } : {}),
  };
}

// apiextensions' validateSimpleJSONPath plus the prefix its caller demands.
function checkPath(value: unknown, field: string, prefix: string | undefined): CrdFieldError[] {
  if (typeof value !== 'string' || value === '') return [{ field, message: 'Required value' }];
  if (!value.startsWith('.')) return [{ field, message: `Invalid value: ${JSON.stringify(value)}: must be a simple json path starting with .` }];
  if (prefix !== undefined && !value.startsWith(`${prefix}.`)) {
    return [{ field, message: `Invalid value: ${JSON.stringify(value)}: should be a json path under ${prefix}` }];
  }
  return [];
}

function checkScale(subresources: unknown, path: string): CrdFieldError[] {
  if (!isJsonObject(subresources) || !isJsonObject(subresources['scale'])) return [];
  const scale = subresources['scale'];
  const at = `${path}.subresources.scale`;
  const errors = [
    ...checkPath(scale['specReplicasPath'], `${at}.specReplicasPath`, '.spec'),
    ...checkPath(scale['statusReplicasPath'], `${at}.statusReplicasPath`, '.status'),
  ];
  const selector = scale['labelSelectorPath'];
  if (selector !== undefined && selector !== '') errors.push(...checkPath(selector, `${at}.labelSelectorPath`, '.status'));
  return errors;
}

function checkColumn(raw: unknown, at: string): CrdFieldError[] {
  const col = isJsonObject(raw) ? raw : {};
  const errors: CrdFieldError[] = [];
  if (typeof col['name'] !== 'string' || col['name'] === '') errors.push({ field: `${at}.name`, message: 'Required value' });
  const type = col['type'];
  const allowed = `must be one of ${COLUMN_TYPES.join(',')}`;
  if (type === undefined || type === '') errors.push({ field: `${at}.type`, message: `Required value: ${allowed}` });
  else if (!isColumnType(type)) errors.push({ field: `${at}.type`, message: `Invalid value: ${JSON.stringify(type)}: ${allowed}` });
  errors.push(...checkPath(col['jsonPath'], `${at}.JSONPath`, undefined));
  return errors;
}

/**
 * Checks a version's `subresources.scale` paths (spec replicas under `.spec`, status replicas
 * and the selector under `.status`) and its printer columns (name, one of the five types, a
 * JSONPath starting with `.`), as the apiextensions validation does.
 *
 * @param path the version's field path, e.g. `spec.versions[0]`
 */
export function validateVersionExtras(version: JsonObject, path: string): CrdFieldError[] {
  const columns = version['additionalPrinterColumns'];
  const columnErrors = Array.isArray(columns) ? columns.flatMap((c, i) => checkColumn(c, `${path}.additionalPrinterColumns[${i}]`)) : [];
  return [...checkScale(version['subresources'], path), ...columnErrors];
}
