// CustomResourceDefinitions: turning a CRD object into served resource types and its status.

import type { UnstructuredObject } from '../../api/types.ts';
import { readVersionExtras, validateVersionExtras, type CrdVersionExtras } from './crd-version.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { defineResource, type ResourceType } from './registry.ts';

/** One entry of `spec.versions`, read; undefined in {@link CrdSpec.versions} when it has no name. */
interface CrdVersion extends CrdVersionExtras {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly statusSubresource: boolean;
}

/** The parts of a CRD spec the fake reads, checked field by field. */
interface CrdSpec {
  readonly group: string;
  readonly scope: unknown;
  readonly plural: string;
  readonly kind: string;
  /** `spec.names` as sent, for the status's acceptedNames. */
  readonly names: JsonObject;
  readonly versions: readonly (CrdVersion | undefined)[];
}

function readVersion(v: unknown): CrdVersion | undefined {
  if (!isJsonObject(v) || typeof v['name'] !== 'string' || v['name'] === '') return undefined;
  const subresources = v['subresources'];
  return {
    name: v['name'],
    served: v['served'] !== false,
    storage: v['storage'] === true,
    statusSubresource: isJsonObject(subresources) && subresources['status'] !== undefined,
    ...readVersionExtras(v),
  };
}

function readSpec(crd: UnstructuredObject): CrdSpec | undefined {
  const spec = crd['spec'];
  if (!isJsonObject(spec) || typeof spec['group'] !== 'string' || !isJsonObject(spec['names'])) return undefined;
  const names = spec['names'];
  const { plural, kind } = names;
  const versions = spec['versions'];
  if (typeof plural !== 'string' || typeof kind !== 'string' || !Array.isArray(versions)) return undefined;
  return { group: spec['group'], scope: spec['scope'], plural, kind, names, versions: versions.map(readVersion) };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Checks a CRD body and returns field errors (`field`, `message`) as the real validation would,
 * limited to what the fake relies on: group, names, scope and at least one served version.
 */
export function validateCrd(crd: UnstructuredObject): { field: string; message: string }[] {
  const spec = readSpec(crd);
  if (spec === undefined) return [{ field: 'spec', message: 'Required value: spec.group, spec.names.plural, spec.names.kind and spec.versions are required' }];
  const errors: { field: string; message: string }[] = [];
  const expected = `${spec.plural}.${spec.group}`;
  if (crd.metadata?.name !== expected) {
    errors.push({ field: 'metadata.name', message: `Invalid value: "${crd.metadata?.name ?? ''}": must be spec.names.plural+"."+spec.group` });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errors.push({ field: 'spec.scope', message: `Unsupported value: "${String(spec.scope)}": supported values: "Cluster", "Namespaced"` });
  }
  spec.versions.forEach((v, i) => {
    if (v === undefined) errors.push({ field: `spec.versions[${i}].name`, message: 'Required value' });
  });
  const rawVersions = isJsonObject(crd['spec']) && Array.isArray(crd['spec']['versions']) ? crd['spec']['versions'] : [];
  rawVersions.forEach((v: unknown, i) => {
    if (isJsonObject(v)) errors.push(...validateVersionExtras(v, `spec.versions[${i}]`));
  });
  if (!spec.versions.some((v) => v?.served === true)) {
    errors.push({ field: 'spec.versions', message: 'Invalid value: must have at least one served version' });
  }
  return errors;
}

/** The resource types a CRD serves: one per served version. */
export function crdResourceTypes(crd: UnstructuredObject): ResourceType[] {
  const spec = readSpec(crd);
  if (spec === undefined) return [];
  return spec.versions
    .filter((v): v is CrdVersion => v?.served === true)
    .map((v) =>
      defineResource({
        group: spec.group,
        version: v.name,
        resource: spec.plural,
        kind: spec.kind,
        namespaced: spec.scope !== 'Cluster',
        singularName: stringOr(spec.names['singular'], spec.kind.toLowerCase()),
        shortNames: strings(spec.names['shortNames']),
        categories: strings(spec.names['categories']),
        hasGeneration: true,
        custom: true,
        statusSubresource: v.statusSubresource,
        ...(v.scale === undefined ? {} : { scale: v.scale }),
        ...(v.printerColumns === undefined ? {} : { printerColumns: v.printerColumns }),
        ...(v.openApiV3Schema === undefined ? {} : { openApiV3Schema: v.openApiV3Schema }),
      }),
    );
}

/** The status the real apiextensions server settles on for an accepted CRD. */
export function crdStatus(crd: UnstructuredObject, now: string): JsonObject {
  const spec = readSpec(crd);
  const names = spec === undefined ? {} : { ...spec.names, listKind: stringOr(spec.names['listKind'], `${spec.kind}List`) };
  const condition = (type: string, reason: string, message: string): JsonObject => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: names,
    storedVersions: spec?.versions.flatMap((v) => (v?.storage === true ? [v.name] : [])) ?? [],
  };
}
