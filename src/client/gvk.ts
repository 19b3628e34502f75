// Group/version/kind and group/version/resource as the client layer uses them.

/** A kind in an API group version, e.g. `{ group: 'apps', version: 'v1', kind: 'Deployment' }`. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A resource in an API group version, e.g. `{ group: 'apps', version: 'v1', resource: 'deployments' }`. */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** "apps/v1", or "v1" for the core group. */
export function groupVersionString(gv: { readonly group: string; readonly version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}
