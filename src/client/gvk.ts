// Group/version/kind and group/version/resource as the client layer uses them (from api/gvk.ts).

export type { GroupVersionKind, GroupVersionResource } from '../api/gvk.ts';

/** "apps/v1", or "v1" for the core group. */
export function groupVersionString(gv: { readonly group: string; readonly version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}
