// kubecache/testing: the test kit — a wire-faithful fake APIServer and an in-memory fake informer set.
//
// Curated: what an operator author needs to test a controller. The server's collaborators
// (store, registry, watch hub, request log, faults) are exported as types only, because they are
// reached through a FakeApiServer's fields, never built by hand. The server's internals
// (wire rendering, OpenAPI, Table printing, continue tokens) stay behind it; kubecache's own tests
// import those by file path.

/**
 * kubecache's test kit: {@link FakeApiServer}, a fake Kubernetes APIServer on loopback that real
 * clients (kubectl, client-node, kubecache's own Cache) accept, with fault injection; and
 * {@link FakeInformers}, controller-runtime's informertest: informers and reads with no server.
 *
 * @packageDocumentation
 * @module kubecache/testing
 */

// First: the Node.js version check (NodeVersionError on an older Node), before the server loads client-node.
import '../node-version.ts';

export { FakeApiServer } from './fake-apiserver/server.ts';
export type { FakeApiServerOptions } from './fake-apiserver/options.ts';
export type {
  ObjectApi,
  ObjectScope,
  CreateOptions,
  UpdateOptions,
  DeleteOptions,
  DeleteResult,
  ResourceRef,
} from './fake-apiserver/objects.ts';
export type { Faults, FaultVerb, FailNextOptions, DropWatchesOptions, ThrottleOptions, Unavailability, UnavailableOptions } from './fake-apiserver/faults.ts';
export type { RequestLog, RequestRecord, RequestFilter } from './fake-apiserver/request-log.ts';
export type { ObjectStore, StoredObject } from './fake-apiserver/store.ts';
export type { WatchHub } from './fake-apiserver/watch.ts';
// defineResource is how a test serves a further built-in-style kind: server.registry.add(defineResource(...)).
export { defineResource } from './fake-apiserver/registry.ts';
export type { ResourceRegistry, GroupVersionResource, ResourceDefinition, ResourceType, ScaleSubresource, PrinterColumn } from './fake-apiserver/registry.ts';
// FakeApiServer.start({ tls: true }) rejects with it when certificates cannot be made.
export { CertificateGenerationError } from './fake-apiserver/tls.ts';
export { FakeInformers, type FakeInformersOptions } from './fake-informers.ts';
export { FakeInformer } from './fake-informer.ts';
// Virtual time for controllers, work queues and leader election under test.
/** @category Testing */
export { FakeClock } from '../api/clock.ts';
