// Turning stored objects and list pages into the negotiated wire representation.

import type { KubeObject, ListMeta, UnstructuredObject } from '../../api/types.ts';
import { INITIAL_EVENTS_END_ANNOTATION } from '../../api/types.ts';
import type { ListResult } from './list.ts';
import { toPartialMetadata, toPartialMetadataList } from './metadata.ts';
import type { Representation } from './negotiate.ts';
import { apiVersionOf, type ResourceType } from './registry.ts';
import type { StoredObject } from './store.ts';
import { renderTable, type IncludeObjectPolicy } from './table.ts';

/** Rendering options from the query (`includeObject` for Tables). */
export interface RenderOptions {
  readonly includeObject: IncludeObjectPolicy;
}

/** A single object (GET, write responses, watch events): always with apiVersion and kind. */
export function renderObject(rt: ResourceType, obj: UnstructuredObject, rep: Representation, opts: RenderOptions, withColumns = true): unknown {
  const apiVersion = apiVersionOf(rt);
  // Listed first so the type fields lead the JSON, as the real encoder writes them.
  const full: UnstructuredObject = Object.assign({ apiVersion, kind: rt.kind }, obj, { apiVersion, kind: rt.kind });
  switch (rep.as) {
    case 'json':
      return full;
    case 'metadata':
      return toPartialMetadata(full, rep.version);
    case 'table':
      return renderTable(rt, [full], {}, { includeObject: opts.includeObject, version: rep.version, omitColumnDefinitions: !withColumns });
  }
}

function listMetaOf(page: ListResult): ListMeta {
  const meta: ListMeta = { resourceVersion: page.resourceVersion };
  if (page.continue !== undefined) meta.continue = page.continue;
  if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
  return meta;
}

/**
 * A list page. Built-in kinds' items carry no apiVersion/kind (the real typed encoder leaves
 * them empty); CustomResource items keep them, as the unstructured encoder does.
 */
export function renderList(rt: ResourceType, page: ListResult, rep: Representation, opts: RenderOptions): unknown {
  const apiVersion = apiVersionOf(rt);
  const meta = listMetaOf(page);
  switch (rep.as) {
    case 'json': {
      const items = page.items.map((o): KubeObject => {
        if (rt.custom) return o.apiVersion === apiVersion ? o : { ...o, apiVersion };
        const rest: KubeObject = { ...o };
        delete rest.apiVersion;
        delete rest.kind;
        return rest;
      });
      return { kind: rt.listKind, apiVersion, metadata: meta, items };
    }
    case 'metadata':
      return toPartialMetadataList(page.items, meta, rep.version);
    case 'table': {
      const full = page.items.map((o: StoredObject) => ({ ...o, apiVersion, kind: rt.kind }));
      return renderTable(rt, full, meta, { includeObject: opts.includeObject, version: rep.version });
    }
  }
}

/** The object of a BOOKMARK event: an empty object of the watched kind carrying only a version. */
export function renderBookmark(rt: ResourceType, rv: number, rep: Representation, initialEventsEnd: boolean): unknown {
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (initialEventsEnd) metadata['annotations'] = { [INITIAL_EVENTS_END_ANNOTATION]: 'true' };
  switch (rep.as) {
    case 'json':
      return { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata };
    case 'metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${rep.version}`, metadata };
    case 'table':
      return { ...renderTable(rt, [], { resourceVersion: String(rv) }, { version: rep.version, omitColumnDefinitions: true }), metadata };
  }
}
