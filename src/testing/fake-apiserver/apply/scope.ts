// The field-manager scope of a write: the kind's typed schema (client-node model or CRD schema),
// its empty object, and the fields the endpoint resets (status through the main resource, all but
// status through `/status`).

import type { UnstructuredObject } from '../../../api/types.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import { apiVersionOf, type ResourceType } from '../registry.ts';
import { builtinSchema, modelOfKind, objectMetaNode } from '../schema/builtin-schema.ts';
import { crdSchema } from '../schema/crd-schema.ts';
import { DEDUCED, type MapNode } from '../schema/type-node.ts';
import { zeroObject } from '../schema/zero-values.ts';
import { FieldSet } from './field-set.ts';
import type { FieldManagerScope } from './field-manager.ts';
import { fieldElement } from './path-element.ts';

const crdSchemas = new WeakMap<object, Map<string, MapNode>>();

function versionSchema(crd: UnstructuredObject, version: string): JsonObject | undefined {
  const spec = crd['spec'];
  const versions = isJsonObject(spec) && Array.isArray(spec['versions']) ? spec['versions'] : [];
  const entry = versions.find((v: unknown) => isJsonObject(v) && v['name'] === version) as unknown;
  const schema = isJsonObject(entry) ? entry['schema'] : undefined;
  const openAPIV3Schema = isJsonObject(schema) ? schema['openAPIV3Schema'] : undefined;
  return isJsonObject(openAPIV3Schema) ? openAPIV3Schema : undefined;
}

// Kinds without a model (registered by tests): typed metadata, everything else deduced.
const SCHEMALESS: MapNode = {
  kind: 'map',
  relationship: 'separable',
  field: (name) => (name === 'metadata' ? objectMetaNode() : undefined),
  fieldDefault: () => undefined,
  element: DEDUCED,
};

/** The typed schema of a served kind; for custom resources the version's schema in `crd`. */
export function schemaOf(rt: ResourceType, crd: UnstructuredObject | undefined): MapNode {
  if (!rt.custom) return builtinSchema(rt.group, rt.version, rt.kind) ?? SCHEMALESS;
  if (crd === undefined) return crdSchema(undefined);
  let byVersion = crdSchemas.get(crd);
  if (byVersion === undefined) {
    byVersion = new Map();
    crdSchemas.set(crd, byVersion);
  }
  let schema = byVersion.get(rt.version);
  if (schema === undefined) {
    schema = crdSchema(versionSchema(crd, rt.version));
    byVersion.set(rt.version, schema);
  }
  return schema;
}

const STATUS = fieldElement('status');
const STATUS_SET = FieldSet.of([[STATUS]]);

/** How a kind's writes reset fields (structured-merge-diff's reset-field filter). */
function resetFilter(rt: ResourceType, subresource: string | undefined): (set: FieldSet) => FieldSet {
  if (subresource === 'status') return (set) => set.restrictTo([STATUS.id]);
  if (rt.statusSubresource) return (set) => set.recursiveDifference(STATUS_SET);
  return (set) => set;
}

/** The empty object of a kind: the Go zero value of a built-in, only type fields for others. */
export function emptyObjectOf(rt: ResourceType): UnstructuredObject {
  const model = rt.custom ? undefined : modelOfKind(rt.group, rt.version, rt.kind);
  const zero = model === undefined ? {} : zeroObject(model);
  return { ...zero, apiVersion: apiVersionOf(rt), kind: rt.kind };
}

/** The scope of one write through `rt` (and `subresource`) at time `now`. */
export function fieldManagerScope(rt: ResourceType, subresource: string | undefined, crd: UnstructuredObject | undefined, now: string): FieldManagerScope {
  return {
    group: rt.group,
    version: rt.version,
    kind: rt.kind,
    type: schemaOf(rt, crd),
    ...(subresource === undefined ? {} : { subresource }),
    ignore: resetFilter(rt, subresource),
    emptyObject: emptyObjectOf(rt),
    now,
  };
}
