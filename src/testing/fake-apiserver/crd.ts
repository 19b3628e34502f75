// CustomResourceDefinitions: turning a CRD object into served resource types and its status.

import type { UnstructuredObject } from '../../api/types.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { defineResource, type ResourceType } from './registry.ts';

/** The parts of a CRD spec the fake reads. */
interface CrdSpec {
  group: string;
  scope: string;
  names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  versions: { name: string; served?: boolean; storage?: boolean; subresources?: { status?: unknown } }[];
}

function readSpec(crd: UnstructuredObject): CrdSpec | undefined {
  const spec = crd['spec'];
  if (!isJsonObject(spec) || typeof spec['group'] !== 'string' || !isJsonObject(spec['names'])) return undefined;
  const names = spec['names'];
  if (typeof names['plural'] !== 'string' || typeof names['kind'] !== 'string') return undefined;
  if (!Array.isArray(spec['versions'])) return undefined;
  return spec as unknown as CrdSpec;
}

/**
 * Checks a CRD body and returns field errors (`field`, `message`) as the real validation would,
 * limited to what the fake relies on: group, names, scope and at least one served version.
 */
export function validateCrd(crd: UnstructuredObject): { field: string; message: string }[] {
  const spec = readSpec(crd);
  if (spec === undefined) return [{ field: 'spec', message: 'Required value: spec.group, spec.names.plural, spec.names.kind and spec.versions are required' }];
  const errors: { field: string; message: string }[] = [];
  const expected = `${spec.names.plural}.${spec.group}`;
  if (crd.metadata?.name !== expected) {
    errors.push({ field: 'metadata.name', message: `Invalid value: "${crd.metadata?.name ?? ''}": must be spec.names.plural+"."+spec.group` });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errors.push({ field: 'spec.scope', message: `Unsupported value: "${String(spec.scope)}": supported values: "Cluster", "Namespaced"` });
  }
  if (!spec.versions.some((v) => isJsonObject(v) && typeof v.name === 'string' && v.served !== false)) {
    errors.push({ field: 'spec.versions', message: 'Invalid value: must have at least one served version' });
  }
  return errors;
}

/** The resource types a CRD serves: one per served version. */
export function crdResourceTypes(crd: UnstructuredObject): ResourceType[] {
  const spec = readSpec(crd);
  if (spec === undefined) return [];
  return spec.versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const def = {
        group: spec.group,
        version: v.name,
        resource: spec.names.plural,
        kind: spec.names.kind,
        namespaced: spec.scope !== 'Cluster',
        singularName: spec.names.singular ?? spec.names.kind.toLowerCase(),
        shortNames: spec.names.shortNames ?? [],
        categories: spec.names.categories ?? [],
        hasGeneration: true,
        custom: true,
        statusSubresource: v.subresources !== undefined && isJsonObject(v.subresources) && v.subresources.status !== undefined,
      };
      return defineResource(def);
    });
}

/** The status the real apiextensions server settles on for an accepted CRD. */
export function crdStatus(crd: UnstructuredObject, now: string): JsonObject {
  const spec = readSpec(crd);
  const names = spec === undefined ? {} : { ...spec.names, listKind: spec.names.listKind ?? `${spec.names.kind}List` };
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
    storedVersions: spec?.versions.filter((v) => v.storage === true).map((v) => v.name) ?? [],
  };
}
