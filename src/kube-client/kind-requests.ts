// The requests behind Client, its status writer and its subresource clients: kind → resource, path, body, decoding.

import { apiVersionOf, gvkKey, gvkToString } from '../api/gvk.ts';
import { errorFields, type Logger } from '../api/logger.ts';
import { MissingMetadataError, type KeyedObject, type ObjectKey } from '../api/object-key.ts';
import type { KubeObject, ObjectList } from '../api/types.ts';
import type { GroupVersionResource } from '../client/gvk.ts';
import { METADATA_ACCEPT, METADATA_LIST_ACCEPT } from '../client/list-watch.ts';
import type { RestClient, WriteOptions } from '../client/rest-client.ts';
import type { KindRef } from '../cache/kinds.ts';
import { objectDecoder } from '../cache/list-watch/common.ts';
import { toFieldSelector, toLabelSelector, type CacheRESTMapper, type FieldSelectorInput, type LabelSelectorInput } from '../cache/options.ts';
import type { Scheme } from '../cache/scheme.ts';
import { InvalidPatchError, MetadataOnlyWriteError, MissingNamespaceError } from './errors.ts';
import type {
  ApplyOptions,
  ClientDeleteOptions,
  ClientListOptions,
  ClientPatchOptions,
  DeleteAllOfOptions,
  WriteCallOptions,
} from './options.ts';
import { Patch } from './patch.ts';

/** What a call names one object by: a key, or an object whose metadata holds the name and namespace. */
export type ObjectTarget = Readonly<ObjectKey> | KeyedObject;

/** Everything the requests share: the REST client, the mapper and scheme, the default field manager, the log. */
export interface KindRequestsContext {
  readonly rest: RestClient;
  readonly mapper: CacheRESTMapper;
  readonly scheme: Scheme;
  readonly fieldOwner: string | undefined;
  readonly logger: Logger | undefined;
}

/** One object's request location, resolved: its resource, namespace (undefined when cluster-scoped) and name. */
interface Located<T = unknown> {
  readonly gvr: GroupVersionResource;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly decode: (raw: unknown) => T;
  readonly metadataOnly: boolean;
}

/**
 * Turns Client calls into RestClient requests for a kind handle: the RESTMapper gives the
 * resource and scope, the representation gives the Accept header and the decoder. Internal;
 * the public surface is Client.
 */
export class KindRequests {
  readonly #c: KindRequestsContext;
  readonly #decoders = new Map<string, (raw: unknown) => unknown>();

  constructor(context: KindRequestsContext) {
    this.#c = context;
  }

  /** True when objects of `kind` live in namespaces. */
  async isNamespaced(kind: KindRef, signal: AbortSignal | undefined): Promise<boolean> {
    return (await this.#c.mapper.restMapping(kind.gvk, { signal })).scope === 'Namespace';
  }

  /**
   * GET one object, or one of its subresources. The object and its `status` are decoded as the
   * kind's objects (R = T); any other subresource (`scale`…) is its own type, returned as sent.
   */
  async get<R>(kind: KindRef, target: ObjectTarget, signal: AbortSignal | undefined, subresource?: string): Promise<R> {
    const at = await this.#locate(kind, 'get', target, signal);
    const raw = await this.#logged('get', kind, at, subresource, () =>
      this.#c.rest.getObject(at.gvr, at.name, { namespace: at.namespace, subresource, signal, accept: objectAccept(at, subresource) }),
    );
    return answer<R>(at, subresource, raw);
  }

  /** LIST from the server: one request, its list metadata kept, items decoded. */
  async list<T extends KubeObject>(kind: KindRef<T>, options: ClientListOptions): Promise<ObjectList<T>> {
    const { resource: gvr, scope } = await this.#c.mapper.restMapping(kind.gvk, { signal: options.signal });
    const decode = this.#decoder(kind);
    const namespace = scope === 'Namespace' && options.namespace !== '' ? options.namespace : undefined;
    const at = { gvr, namespace, name: '' };
    const list = await this.#logged('list', kind, at, undefined, () =>
      this.#c.rest.listObjects(
        gvr,
        {
          namespace,
          ...selectorQuery(options),
          ...(options.limit === undefined ? {} : { limit: options.limit }),
          ...(options.continue === undefined ? {} : { continue: options.continue }),
          ...(options.resourceVersion === undefined ? {} : { resourceVersion: options.resourceVersion }),
          ...(options.resourceVersionMatch === undefined ? {} : { resourceVersionMatch: options.resourceVersionMatch }),
          signal: options.signal,
          accept: kind.representation === 'metadata' ? METADATA_LIST_ACCEPT : undefined,
        },
        decode,
      ),
    );
    // The items are stamped with the kind; the list is named after it (not PartialObjectMetadataList).
    return { ...list, apiVersion: apiVersionOf(kind.gvk), kind: `${kind.gvk.kind}List` };
  }

  /** POST a new object. */
  async create<T extends KubeObject>(kind: KindRef<T>, obj: KeyedObject, options: WriteCallOptions): Promise<T> {
    if (kind.representation === 'metadata') throw new MetadataOnlyWriteError('create', kindName(kind));
    const at = await this.#locate(kind, 'create', obj, options.signal, false);
    const raw = await this.#logged('create', kind, at, undefined, () =>
      this.#c.rest.createObject<KeyedObject, unknown>(at.gvr, obj, this.#writeOptions(at, options, undefined)),
    );
    return at.decode(raw);
  }

  /** PUT an object, or a subresource body (`status`: the object; `scale`: a Scale naming the object). */
  async update<R>(kind: KindRef, obj: KeyedObject, options: WriteCallOptions, subresource?: string): Promise<R> {
    if (kind.representation === 'metadata' && isObjectView(subresource)) {
      throw new MetadataOnlyWriteError(subresource === undefined ? 'update' : `${subresource} update`, kindName(kind));
    }
    const at = await this.#locate(kind, 'update', obj, options.signal);
    const raw = await this.#logged('update', kind, at, subresource, () =>
      this.#c.rest.updateObject<KeyedObject, unknown>(at.gvr, obj, this.#writeOptions(at, options, subresource)),
    );
    return answer<R>(at, subresource, raw);
  }

  /** PATCH an object or a subresource with a Patch or a bare body of `options.type`. */
  async patch<R>(
    kind: KindRef,
    target: ObjectTarget,
    patch: Patch | object,
    options: ClientPatchOptions,
    subresource?: string,
  ): Promise<R> {
    const { type, data } = patchOf(patch, options.type);
    const at = await this.#locate(kind, 'patch', target, options.signal);
    const raw = await this.#logged('patch', kind, at, subresource, () =>
      this.#c.rest.patchObject(at.gvr, at.name, data, { ...this.#writeOptions(at, options, subresource), patchType: type }),
    );
    return answer<R>(at, subresource, raw);
  }

  /** Server-side apply of a configuration to an object or a subresource; apiVersion and kind filled in. */
  async apply<R>(kind: KindRef, config: KeyedObject, options: ApplyOptions, subresource?: string): Promise<R> {
    const at = await this.#locate(kind, 'apply', config, options.signal);
    const body = { apiVersion: apiVersionOf(kind.gvk), kind: kind.gvk.kind, ...config };
    const raw = await this.#logged('apply', kind, at, subresource, () =>
      this.#c.rest.patchObject(at.gvr, at.name, body, {
        ...this.#writeOptions(at, options, subresource),
        patchType: 'apply',
        ...(options.force === undefined ? {} : { force: options.force }),
      }),
    );
    return answer<R>(at, subresource, raw);
  }

  /** POST to a subresource of an object (`eviction`…); resolves with the server's answer. */
  async createSubresource<R>(kind: KindRef, target: ObjectTarget, subresource: string, body: object, options: WriteCallOptions): Promise<R> {
    const at = await this.#locate(kind, 'create', target, options.signal);
    return this.#logged('create', kind, at, subresource, () =>
      this.#c.rest.createSubresource<R>(at.gvr, at.name, subresource, body, this.#writeOptions(at, options, undefined)),
    );
  }

  /** DELETE one object. */
  async delete(kind: KindRef, target: ObjectTarget, options: ClientDeleteOptions): Promise<void> {
    const at = await this.#locate(kind, 'delete', target, options.signal);
    await this.#logged('delete', kind, at, undefined, () =>
      this.#c.rest.deleteObject(at.gvr, at.name, {
        namespace: at.namespace,
        signal: options.signal,
        propagationPolicy: options.propagationPolicy,
        gracePeriodSeconds: options.gracePeriodSeconds,
        preconditions: options.preconditions,
        dryRun: options.dryRun,
      }),
    );
  }

  /** DELETE the collection of one namespace (deletecollection), filtered by selectors. */
  async deleteAllOf(kind: KindRef, options: DeleteAllOfOptions): Promise<void> {
    const { resource: gvr, scope } = await this.#c.mapper.restMapping(kind.gvk, { signal: options.signal });
    const namespace = scope === 'Namespace' ? (options.namespace ?? '') : undefined;
    if (namespace === '') throw new MissingNamespaceError('deleteAllOf', kindName(kind), '');
    const at = { gvr, namespace, name: '' };
    await this.#logged('deletecollection', kind, at, undefined, () =>
      this.#c.rest.deleteCollection(gvr, {
        namespace,
        ...selectorQuery(options),
        signal: options.signal,
        propagationPolicy: options.propagationPolicy,
        gracePeriodSeconds: options.gracePeriodSeconds,
        dryRun: options.dryRun,
      }),
    );
  }

  #writeOptions(at: Located<unknown>, options: WriteCallOptions, subresource: string | undefined): WriteOptions {
    return {
      namespace: at.namespace,
      subresource,
      signal: options.signal,
      dryRun: options.dryRun,
      fieldManager: options.fieldManager ?? this.#c.fieldOwner,
      accept: objectAccept(at, subresource),
    };
  }

  // The caller's signal reaches discovery: a call on a kind whose group's discovery hangs stops waiting when aborted.
  async #locate<T extends KubeObject>(
    kind: KindRef<T>,
    operation: string,
    target: ObjectTarget,
    signal: AbortSignal | undefined,
    nameRequired = true,
  ): Promise<Located<T>> {
    const { namespace, name } = keyOf(target);
    if (nameRequired && name === '') throw new MissingMetadataError(`${operation}: ${kindName(kind)}: no name given`);
    const { resource: gvr, scope } = await this.#c.mapper.restMapping(kind.gvk, { signal });
    if (scope === 'Namespace' && (namespace === undefined || namespace === '')) {
      throw new MissingNamespaceError(operation, kindName(kind), name);
    }
    return {
      gvr,
      namespace: scope === 'Namespace' ? namespace : undefined,
      name,
      decode: this.#decoder(kind),
      metadataOnly: kind.representation === 'metadata',
    };
  }

  #decoder<T extends KubeObject>(kind: KindRef<T>): (raw: unknown) => T {
    const key = `${kind.representation}:${gvkKey(kind.gvk)}`;
    let decode = this.#decoders.get(key);
    if (decode === undefined) {
      decode = objectDecoder(kind.representation, kind.gvk, this.#c.scheme);
      this.#decoders.set(key, decode);
    }
    return decode as (raw: unknown) => T;
  }

  async #logged<R>(
    verb: string,
    kind: KindRef,
    at: { readonly namespace: string | undefined; readonly name: string },
    subresource: string | undefined,
    send: () => Promise<R>,
  ): Promise<R> {
    const logger = this.#c.logger;
    if (logger === undefined) return send();
    const fields = { verb, kind: gvkToString(kind.gvk), namespace: at.namespace ?? '', name: at.name, subresource: subresource ?? '' };
    try {
      const answer = await send();
      logger.debug('request done', fields);
      return answer;
    } catch (err) {
      logger.debug('request failed', { ...fields, ...errorFields(err) });
      throw err;
    }
  }
}

/** True when a request on `subresource` reads or writes the object itself (the main resource or its status). */
function isObjectView(subresource: string | undefined): boolean {
  return subresource === undefined || subresource === 'status';
}

// The object and its status decode as the kind's objects; other subresources are their own types.
function answer<R>(at: Located<unknown>, subresource: string | undefined, raw: unknown): R {
  return (isObjectView(subresource) ? at.decode(raw) : raw) as R;
}

/** The namespace and name a target names; "" when it names none. */
export function keyOf(target: ObjectTarget): { namespace: string | undefined; name: string } {
  if ('metadata' in target || !('name' in target)) {
    const meta = target.metadata;
    return { namespace: meta?.namespace, name: meta?.name ?? '' };
  }
  return { namespace: target.namespace, name: target.name };
}

// Metadata-only kinds ask for PartialObjectMetadata on the object and its status, never on other subresources.
function objectAccept(at: Located<unknown>, subresource: string | undefined): string | undefined {
  return at.metadataOnly && isObjectView(subresource) ? METADATA_ACCEPT : undefined;
}

function kindName(kind: KindRef): string {
  return gvkToString(kind.gvk);
}

function selectorQuery(options: { readonly labelSelector?: LabelSelectorInput; readonly fieldSelector?: FieldSelectorInput }): {
  labelSelector?: string;
  fieldSelector?: string;
} {
  const out: { labelSelector?: string; fieldSelector?: string } = {};
  if (options.labelSelector !== undefined) out.labelSelector = toLabelSelector(options.labelSelector).toString();
  if (options.fieldSelector !== undefined) out.fieldSelector = toFieldSelector(options.fieldSelector).toString();
  return out;
}

function patchOf(patch: Patch | object, type: ClientPatchOptions['type']): { type: 'merge' | 'json' | 'strategic'; data: unknown } {
  if (patch instanceof Patch) {
    if (type !== undefined && type !== patch.type) {
      throw new InvalidPatchError(`patch: the Patch is a ${patch.type} patch, but the type option says ${type}`);
    }
    return { type: patch.type, data: patch.data };
  }
  const resolved = type ?? 'merge';
  if (resolved === 'json' && !Array.isArray(patch)) throw new InvalidPatchError('patch: a JSON patch must be an array of operations');
  if (resolved !== 'json' && Array.isArray(patch)) throw new InvalidPatchError(`patch: a ${resolved} patch must be an object, not an array`);
  return { type: resolved, data: patch };
}
