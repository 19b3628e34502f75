// Programmatic CRUD over the store with the real server's write semantics (used by HTTP handlers too).

import { randomUUID } from 'node:crypto';
import { StatusError } from '../../api/errors.ts';
import type { ObjectMeta, UnstructuredObject } from '../../api/types.ts';
import { crdResourceTypes, crdStatus, validateCrd } from './crd.ts';
import { cloneJson, jsonEqual } from './json.ts';
import { applyPatch, type FieldManagerScope } from './apply/field-manager.ts';
import { emptyObjectOf, fieldManagerScope } from './apply/scope.ts';
import { generateName, hasFinalizers, nowTimestamp, validateLabels, validateName } from './object-meta.ts';
import { apiVersionOf, CRD_GVR, NAMESPACE_GVR, type GroupVersionResource, type ResourceRegistry, type ResourceType } from './registry.ts';
import * as status from './status.ts';
import { bumpsGeneration, statusOnCreate } from './status-rules.ts';
import { storageKey, type ObjectStore, type StoredObject } from './store.ts';
import { decodeForWrite } from './write-conversions.ts';
import { checkAppliedName, decodeWrite, tracker, withManagedFields, type Tracker } from './write-pipeline.ts';

/**
 * Where an object lives: the namespace for namespaced kinds (defaults to the body's, then `default`).
 * @category Testing
 */
export interface ObjectScope {
  readonly namespace?: string;
}

/**
 * Options of a create: `dryRun` answers as the write would, without storing anything.
 * @category Testing
 */
export interface CreateOptions extends ObjectScope {
  readonly dryRun?: boolean;
  /**
   * Records the write in `metadata.managedFields` as an Update by this manager, as every API write is.
   * Without it the write is not tracked (objects seeded by tests carry no managedFields).
   */
  readonly fieldManager?: string;
  /**
   * Resets the body's status as a POST does for kinds with a status subresource (dropped; a Pod's set to
   * Pending). The default keeps it, so tests can seed objects with a status.
   */
  readonly dropStatus?: boolean;
}

/**
 * Options of an update. `subresource: 'status'` changes only `.status`.
 * @category Testing
 */
export interface UpdateOptions extends CreateOptions {
  readonly subresource?: 'status';
}

/** Options of a server-side apply: the manager is required; `force` takes fields other managers own. */
export interface ApplyOptions extends ObjectScope {
  readonly fieldManager: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly subresource?: 'status';
}

/** What an apply did: `created` when the object did not exist (the HTTP answer is then 201). */
export interface ApplyResult {
  readonly object: StoredObject;
  readonly created: boolean;
}


/**
 * Options of a delete: preconditions as in metav1.DeleteOptions.
 * @category Testing
 */
export interface DeleteOptions extends CreateOptions {
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

/**
 * What a delete did: `removed` is false when finalizers only marked the object as deleting.
 * @category Testing
 */
export interface DeleteResult {
  readonly object: StoredObject;
  readonly removed: boolean;
}

/** Callbacks the server needs when a resource type disappears (its watches must end). */
export interface ObjectHooks {
  resourceRemoved(rt: ResourceType): void;
}

function isCrd(rt: ResourceType): boolean {
  return rt.group === CRD_GVR.group && rt.resource === CRD_GVR.resource;
}

/**
 * A resource named by GVR or by a name such as `configmaps`, `cm`, `deployments.apps`.
 * @category Testing
 */
export type ResourceRef = GroupVersionResource | string;

/**
 * Direct access to the fake APIServer's objects, with the same rules as HTTP requests
 * (resourceVersion, uid, generation, finalizers, no-op detection, watch events) but no HTTP.
 * Errors are StatusErrors with the codes the HTTP API would answer.
 *
 * @example
 * server.objects.create('configmaps', { metadata: { name: 'a', namespace: 'default' }, data: {} });
 * @category Testing
 */
export class ObjectApi {
  readonly #registry: ResourceRegistry;
  readonly #store: ObjectStore;
  readonly #hooks: ObjectHooks;

  constructor(registry: ResourceRegistry, store: ObjectStore, hooks: ObjectHooks) {
    this.#registry = registry;
    this.#store = store;
    this.#hooks = hooks;
  }

  /** The resource type a reference names; 404 when unknown. */
  resolve(ref: ResourceRef): ResourceType {
    const rt = this.#registry.resolve(ref);
    if (rt === undefined) {
      throw StatusError.of(404, 'NotFound', 'the server could not find the requested resource');
    }
    return rt;
  }

  #namespace(rt: ResourceType, scope: ObjectScope | undefined, body?: UnstructuredObject): string | undefined {
    if (!rt.namespaced) return undefined;
    const fromBody = body?.metadata?.namespace;
    const fromScope = scope?.namespace;
    if (fromBody !== undefined && fromBody !== '' && fromScope !== undefined && fromBody !== fromScope) {
      throw status.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    return fromScope ?? (fromBody !== undefined && fromBody !== '' ? fromBody : 'default');
  }

  #present(rt: ResourceType, obj: StoredObject): StoredObject {
    const apiVersion = apiVersionOf(rt);
    return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
  }

  /** The current object; 404 when absent. */
  get(ref: ResourceRef, name: string, scope?: ObjectScope): StoredObject {
    const rt = this.resolve(ref);
    const obj = this.#store.get(rt, storageKey(this.#namespace(rt, scope), name));
    if (obj === undefined) throw status.notFound(rt, name);
    return this.#present(rt, obj);
  }

  /** Every current object of a resource (in one namespace when given), sorted by key. */
  list(ref: ResourceRef, scope?: ObjectScope): StoredObject[] {
    const rt = this.resolve(ref);
    const snap = this.#store.current(rt);
    const prefix = scope?.namespace === undefined ? undefined : `${scope.namespace}/`;
    const out: StoredObject[] = [];
    for (const key of snap.keys) {
      if (prefix !== undefined && !key.startsWith(prefix)) continue;
      const obj = snap.get(key);
      if (obj !== undefined) out.push(this.#present(rt, obj));
    }
    return out;
  }

  #checkType(rt: ResourceType, body: UnstructuredObject): void {
    const apiVersion = apiVersionOf(rt);
    if (body.apiVersion !== undefined && body.apiVersion !== '' && body.apiVersion !== apiVersion) {
      throw status.badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersion})`);
    }
    if (body.kind !== undefined && body.kind !== '' && body.kind !== rt.kind) {
      throw status.badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${rt.kind})`);
    }
  }

  /** Creates an object: sets uid, creationTimestamp, generation, resourceVersion; emits ADDED. */
  create(ref: ResourceRef, body: UnstructuredObject, scope?: CreateOptions): StoredObject {
    const rt = this.resolve(ref);
    const sent = scope?.dropStatus === true ? statusOnCreate(rt, body) : body;
    return this.#create(rt, sent, scope, tracker(this.#fieldScope(rt, undefined), scope?.fieldManager));
  }

  #create(rt: ResourceType, sent: UnstructuredObject, scope: CreateOptions | undefined, track: Tracker): StoredObject {
    // Names and labels are validated as decoded (a null label value is "", an empty map is none).
    const body = withManagedFields(decodeForWrite(rt, sent), sent.metadata?.managedFields);
    this.#checkType(rt, body);
    const namespace = this.#namespace(rt, scope, body);
    const meta: ObjectMeta = { ...(body.metadata ?? {}) };
    const rv = meta.resourceVersion;
    if (rv !== undefined && rv !== '' && /^\d+$/.test(rv) && rv !== '0') {
      throw status.internalError('resourceVersion should not be set on objects to be created');
    }
    if (namespace !== undefined) this.#checkNamespaceOpen(rt, namespace, meta.name ?? '');
    const name = this.#createName(rt, namespace, meta);
    const existing = this.#store.get(rt, storageKey(namespace, name));
    if (existing !== undefined) throw status.alreadyExists(rt, name, existing.metadata.deletionTimestamp !== undefined);
    const obj = decodeWrite(rt, this.#initialObject(rt, body, meta, name, namespace), emptyObjectOf(rt), track);
    const dryRun = scope?.dryRun === true;
    const stored = this.#write(rt, storageKey(namespace, name), 'ADDED', obj, dryRun);
    if (!dryRun && isCrd(rt)) this.#registerCrd(stored);
    return this.#present(rt, stored);
  }

  /** The field-manager scope of writes through `rt` (and `subresource`), built when a write needs it. */
  #fieldScope(rt: ResourceType, subresource: string | undefined): () => FieldManagerScope {
    return () => fieldManagerScope(rt, subresource, nowTimestamp());
  }

  /**
   * Server-side apply of `patch` (an apply configuration) to the object `name` by `options.fieldManager`:
   * creates it when absent, merges and prunes by field ownership, and fails with the server's 409 when
   * it would change fields other managers own (unless `force`). The result carries managedFields.
   */
  apply(ref: ResourceRef, name: string, patch: UnstructuredObject, options: ApplyOptions): ApplyResult {
    const rt = this.resolve(ref);
    const namespace = rt.namespaced ? (options.namespace ?? 'default') : undefined;
    const scope = this.#fieldScope(rt, options.subresource)();
    const current = this.#store.get(rt, storageKey(namespace, name));
    // A create merges into a bare object: the kind's zero value only decides what an Update owns.
    const live = current === undefined ? { apiVersion: apiVersionOf(rt), kind: rt.kind } : this.#present(rt, current);
    if (current === undefined && options.subresource !== undefined) throw status.notFound(rt, name);
    const merged = applyPatch(scope, live, patch, options.fieldManager, options.force === true);
    checkAppliedName(merged, name, namespace);
    const applied: Tracker = (_live, next) => withManagedFields(next, merged.metadata?.managedFields);
    const write = { ...(namespace === undefined ? {} : { namespace }), ...(options.dryRun === true ? { dryRun: true } : {}) };
    if (current === undefined) return { object: this.#create(rt, statusOnCreate(rt, merged), write, applied), created: true };
    const sub = options.subresource === undefined ? {} : { subresource: options.subresource };
    return { object: this.#update(rt, merged, { ...write, ...sub }, applied), created: false };
  }

  #checkNamespaceOpen(rt: ResourceType, namespace: string, name: string): void {
    const ns = this.#store.get(NAMESPACE_GVR, namespace);
    if (ns === undefined) throw status.namespaceNotFound(namespace);
    if (ns.metadata.deletionTimestamp !== undefined) {
      // The NamespaceLifecycle admission plugin's answer for a terminating namespace.
      throw StatusError.of(
        403,
        'Forbidden',
        `${status.qualifiedResource(rt)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { name, ...(rt.group === '' ? {} : { group: rt.group }), kind: rt.resource },
      );
    }
  }

  #createName(rt: ResourceType, namespace: string | undefined, meta: ObjectMeta): string {
    let name = meta.name ?? '';
    if (name === '' && meta.generateName !== undefined && meta.generateName !== '') {
      for (let attempt = 0; attempt < 8; attempt++) {
        name = generateName(meta.generateName);
        if (this.#store.get(rt, storageKey(namespace, name)) === undefined) break;
      }
    }
    if (name === '') {
      throw status.invalid(rt, '', [
        { reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' },
      ]);
    }
    const causes = [...validateName(rt.kind, name), ...validateLabels(meta.labels)];
    if (causes.length > 0) throw status.invalid(rt, name, causes);
    return name;
  }

  #initialObject(
    rt: ResourceType,
    body: UnstructuredObject,
    meta: ObjectMeta,
    name: string,
    namespace: string | undefined,
  ): UnstructuredObject {
    const metadata: ObjectMeta = { ...meta, name, uid: randomUUID(), creationTimestamp: nowTimestamp() };
    delete metadata.deletionTimestamp;
    delete metadata.deletionGracePeriodSeconds;
    delete metadata.resourceVersion;
    if (namespace !== undefined) metadata.namespace = namespace;
    else delete metadata.namespace;
    if (rt.hasGeneration) metadata.generation = 1;
    else delete metadata.generation;
    const type = { apiVersion: apiVersionOf(rt), kind: rt.kind };
    const obj: UnstructuredObject = { ...type, ...cloneJson(body), ...type, metadata };
    if (rt.kind === 'Namespace' && rt.group === '') obj['status'] = { phase: 'Active' };
    if (isCrd(rt)) {
      const errors = validateCrd(obj);
      if (errors.length > 0) throw status.invalid(rt, name, errors.map((e) => ({ reason: 'FieldValueInvalid', ...e })));
      obj['status'] = crdStatus(obj, nowTimestamp());
    }
    return obj;
  }

  /**
   * Replaces an object (PUT). A stale `metadata.resourceVersion` is a 409 Conflict; an empty one
   * overwrites (CustomResources answer 422: they require it). Removing the last finalizer of an
   * object being deleted removes it. Identical content is a no-op: no new version, no event.
   */
  update(ref: ResourceRef, body: UnstructuredObject, options?: UpdateOptions): StoredObject {
    const rt = this.resolve(ref);
    return this.#update(rt, body, options, tracker(this.#fieldScope(rt, options?.subresource), options?.fieldManager));
  }

  #update(rt: ResourceType, body: UnstructuredObject, options: UpdateOptions | undefined, track: Tracker): StoredObject {
    this.#checkType(rt, body);
    const namespace = this.#namespace(rt, options, body);
    const name = body.metadata?.name ?? '';
    if (name === '') {
      throw status.invalid(rt, '', [{ reason: 'FieldValueRequired', message: 'Required value: name is required', field: 'metadata.name' }]);
    }
    const key = storageKey(namespace, name);
    const old = this.#store.get(rt, key);
    if (old === undefined) throw status.notFound(rt, name);
    this.#checkPrecondition(rt, name, old, body.metadata?.resourceVersion);
    const next = decodeWrite(rt, this.#mergeUpdate(rt, old, body, options?.subresource), old, track);
    if (rt.hasGeneration && bumpsGeneration(rt, old, next)) next.metadata = { ...next.metadata, generation: (old.metadata.generation ?? 0) + 1 };
    this.#checkNoNewFinalizers(rt, old, next);
    const labelCauses = validateLabels(next.metadata?.labels);
    if (labelCauses.length > 0) throw status.invalid(rt, name, labelCauses);
    if (old.metadata.deletionTimestamp !== undefined && !hasFinalizers(next)) {
      const gone = this.#remove(rt, key, old, options?.dryRun === true);
      return this.#present(rt, { ...next, metadata: { ...next.metadata, resourceVersion: gone.metadata.resourceVersion } } as StoredObject);
    }
    if (jsonEqual(old, next)) return this.#present(rt, old);
    const stored = this.#write(rt, key, 'MODIFIED', next, options?.dryRun === true);
    if (options?.dryRun !== true && isCrd(rt)) this.#registerCrd(stored);
    return this.#present(rt, stored);
  }

  // An object being deleted may lose finalizers but never gain one (objectmeta validation).
  #checkNoNewFinalizers(rt: ResourceType, old: StoredObject, next: UnstructuredObject): void {
    if (old.metadata.deletionTimestamp === undefined) return;
    const before = new Set(old.metadata.finalizers ?? []);
    const added = (next.metadata?.finalizers ?? []).filter((f) => !before.has(f));
    if (added.length === 0) return;
    throw status.invalid(rt, old.metadata.name, [
      {
        reason: 'FieldValueForbidden',
        message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        field: 'metadata.finalizers',
      },
    ]);
  }

  #checkPrecondition(rt: ResourceType, name: string, old: StoredObject, rv: string | undefined): void {
    if (rv === undefined || rv === '' || rv === '0') {
      if (!rt.custom) return;
      throw StatusError.of(
        422,
        'Invalid',
        `${status.qualifiedResource(rt)} "${name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`,
        { name, group: rt.group, kind: rt.resource, causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }] },
      );
    }
    if (rv !== old.metadata.resourceVersion) throw status.conflict(rt, name);
  }

  #mergeUpdate(rt: ResourceType, old: StoredObject, body: UnstructuredObject, subresource: 'status' | undefined): UnstructuredObject {
    if (subresource === 'status') {
      const next: UnstructuredObject = { ...old };
      if (body['status'] === undefined) delete next['status'];
      else next['status'] = cloneJson(body['status']);
      return next;
    }
    const next: UnstructuredObject = { ...cloneJson(body), apiVersion: old.apiVersion ?? apiVersionOf(rt), kind: rt.kind };
    if (rt.statusSubresource) {
      if (old['status'] === undefined) delete next['status'];
      else next['status'] = old['status'];
    }
    const om = old.metadata;
    const metadata: ObjectMeta = { ...(body.metadata ?? {}), name: om.name, resourceVersion: om.resourceVersion };
    for (const field of ['namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
      if (om[field] === undefined) delete metadata[field];
      else (metadata as Record<string, unknown>)[field] = om[field];
    }
    if (metadata.generateName === undefined && om.generateName !== undefined) metadata.generateName = om.generateName;
    // A body without managedFields keeps the stored ones (an explicit [] resets them).
    if (metadata.managedFields === undefined && om.managedFields !== undefined) metadata.managedFields = om.managedFields;
    next.metadata = metadata;
    return next;
  }

  /**
   * Deletes an object. With finalizers it is only marked (deletionTimestamp, MODIFIED) and goes
   * away when an update removes the last finalizer; otherwise it is removed (DELETED).
   * Deleting a Namespace removes every object in it; deleting a CRD unregisters its kind.
   */
  delete(ref: ResourceRef, name: string, options?: DeleteOptions): DeleteResult {
    const rt = this.resolve(ref);
    const key = storageKey(this.#namespace(rt, options), name);
    const old = this.#store.get(rt, key);
    if (old === undefined) throw status.notFound(rt, name);
    const pre = options?.preconditions;
    if (pre?.uid !== undefined && pre.uid !== old.metadata.uid) {
      throw status.conflict(rt, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid ?? ''}`);
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw status.conflict(rt, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${old.metadata.resourceVersion}). The object might have been modified`);
    }
    const dryRun = options?.dryRun === true;
    if (rt.kind === 'Namespace' && rt.group === '' && !dryRun) this.#emptyNamespace(name);
    if (hasFinalizers(old)) {
      if (old.metadata.deletionTimestamp !== undefined) return { object: this.#present(rt, old), removed: false };
      const metadata: ObjectMeta = { ...old.metadata, deletionTimestamp: nowTimestamp(), deletionGracePeriodSeconds: 0 };
      if ((old.metadata.generation ?? 0) > 0) metadata.generation = (old.metadata.generation ?? 0) + 1;
      const marked = this.#write(rt, key, 'MODIFIED', { ...old, metadata }, dryRun);
      return { object: this.#present(rt, marked), removed: false };
    }
    return { object: this.#present(rt, this.#remove(rt, key, old, dryRun)), removed: true };
  }

  #remove(rt: ResourceType, key: string, old: StoredObject, dryRun: boolean): StoredObject {
    if (dryRun) return old;
    const gone = this.#store.commit(rt, key, 'DELETED', old);
    if (isCrd(rt)) this.#unregisterCrd(old);
    return gone;
  }

  /** Commits a write, or for a dry run builds what it would have stored (no version, no event). */
  #write(rt: ResourceType, key: string, type: 'ADDED' | 'MODIFIED', obj: UnstructuredObject, dryRun: boolean): StoredObject {
    if (!dryRun) return this.#store.commit(rt, key, type, obj);
    const resourceVersion = this.#store.get(rt, key)?.metadata.resourceVersion ?? '';
    return { ...obj, metadata: { ...obj.metadata, name: obj.metadata?.name ?? '', resourceVersion } };
  }

  #emptyNamespace(namespace: string): void {
    const prefix = `${namespace}/`;
    for (const rt of this.#registry.all()) {
      if (!rt.namespaced) continue;
      const snap = this.#store.current(rt);
      for (const key of [...snap.keys]) {
        const obj = key.startsWith(prefix) ? snap.get(key) : undefined;
        if (obj !== undefined) this.#store.commit(rt, key, 'DELETED', obj);
      }
    }
  }

  #registerCrd(crd: StoredObject): void {
    const previous = this.#registry.all().filter((rt) => rt.custom && `${rt.resource}.${rt.group}` === crd.metadata.name);
    const next = crdResourceTypes(crd);
    for (const rt of previous) {
      if (!next.some((n) => n.version === rt.version)) {
        this.#registry.remove(rt);
        this.#hooks.resourceRemoved(rt);
      }
    }
    for (const rt of next) this.#registry.add(rt);
  }

  #unregisterCrd(crd: StoredObject): void {
    const types = crdResourceTypes(crd);
    const first = types[0];
    if (first !== undefined) {
      const snap = this.#store.current(first);
      for (const key of [...snap.keys]) {
        const obj = snap.get(key);
        if (obj !== undefined) this.#store.commit(first, key, 'DELETED', obj);
      }
    }
    for (const rt of types) {
      this.#registry.remove(rt);
      this.#hooks.resourceRemoved(rt);
    }
  }
}
