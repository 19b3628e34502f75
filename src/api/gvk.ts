// Group/version/kind and group/version/resource identifiers (apimachinery's schema package).

import type { KubeObject } from './types.ts';
import { ReasonedError } from './reasoned-error.ts';

/**
 * An API group and version; the core group is "".
 * @category API Machinery
 */
export interface GroupVersion {
  group: string;
  version: string;
}

/**
 * A kind in a group version: what an object says it is (`apiVersion` + `kind`).
 * @category API Machinery
 */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/**
 * A resource in a group version: what a URL path names (`pods`, `deployments`).
 * @category API Machinery
 */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/**
 * Thrown when an object lacks the `apiVersion` or `kind` needed to tell its type, or
 * carries a malformed `apiVersion`. Not retryable: the object itself must change.
 * @category Errors
 */
export class MissingKindError extends ReasonedError<'MissingKind'> {
  override readonly name = 'MissingKindError';
  constructor(message: string) {
    super('MissingKind', message, { code: 400 });
  }
}

/**
 * Splits an `apiVersion` into group and version: `"apps/v1"` → apps, v1; `"v1"` → the core
 * group "" (apimachinery's `ParseGroupVersion`). The empty string yields "", "".
 *
 * @throws MissingKindError when there is more than one `/`.
 * @category API Machinery
 */
export function parseApiVersion(apiVersion: string): GroupVersion {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return { group: '', version: apiVersion };
  if (apiVersion.indexOf('/', slash + 1) !== -1) {
    throw new MissingKindError(`unexpected GroupVersion string: ${apiVersion}`);
  }
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The `apiVersion` of a group version: `"v1"` for the core group, else `"group/version"`.
 * @category API Machinery
 */
export function apiVersionOf(gv: Readonly<GroupVersion>): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

/**
 * Reads an object's GroupVersionKind from `apiVersion` and `kind`.
 *
 * @throws MissingKindError when either is missing or empty, or `apiVersion` is malformed.
 * @category API Machinery
 */
export function gvkFromObject(obj: Readonly<KubeObject>): GroupVersionKind {
  const { apiVersion, kind } = obj;
  if (apiVersion === undefined || apiVersion === '' || kind === undefined || kind === '') {
    const name = obj.metadata?.name ?? '';
    throw new MissingKindError(
      `object ${JSON.stringify(name)} has no ${kind === undefined || kind === '' ? 'kind' : 'apiVersion'}: both are needed to tell its type`,
    );
  }
  return { ...parseApiVersion(apiVersion), kind };
}

/**
 * Go's `GroupVersionKind.String()`: `"apps/v1, Kind=Deployment"`, `"/v1, Kind=Pod"` for core.
 * @category API Machinery
 */
export function gvkToString(gvk: Readonly<GroupVersionKind>): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
}

/**
 * A compact key for maps keyed by kind: `"Deployment.v1.apps"`, `"Pod.v1"` for core (the
 * `Kind.version.group` form kubectl accepts). Distinct GVKs never share a key.
 * @category API Machinery
 */
export function gvkKey(gvk: Readonly<GroupVersionKind>): string {
  return gvk.group === '' ? `${gvk.kind}.${gvk.version}` : `${gvk.kind}.${gvk.version}.${gvk.group}`;
}

/**
 * Go's `GroupVersionResource.String()`: `"apps/v1, Resource=deployments"`, `"/v1, Resource=pods"`.
 * @category API Machinery
 */
export function gvrToString(gvr: Readonly<GroupVersionResource>): string {
  return `${gvr.group}/${gvr.version}, Resource=${gvr.resource}`;
}

/**
 * True when two GVKs name the same kind.
 * @category API Machinery
 */
export function gvkEquals(a: Readonly<GroupVersionKind>, b: Readonly<GroupVersionKind>): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}
