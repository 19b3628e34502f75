// kubecache/testing: the test kit — a wire-faithful fake APIServer and its helpers.

export { FakeApiServer } from './fake-apiserver/server.ts';
export type { FakeApiServerOptions, ResolvedFakeApiServerOptions } from './fake-apiserver/options.ts';
export { resolveOptions as resolveFakeApiServerOptions } from './fake-apiserver/options.ts';
export { ObjectApi } from './fake-apiserver/objects.ts';
export type { ObjectScope, CreateOptions, UpdateOptions, DeleteOptions, DeleteResult, ResourceRef } from './fake-apiserver/objects.ts';
export { Faults } from './fake-apiserver/faults.ts';
export type { FaultVerb, FailNextOptions, DropWatchesOptions } from './fake-apiserver/faults.ts';
export { RequestLog } from './fake-apiserver/request-log.ts';
export type { RequestRecord, RequestFilter } from './fake-apiserver/request-log.ts';
export { ObjectStore, CompactedError, storageKey } from './fake-apiserver/store.ts';
export type { StoredObject, StoreEvent, StoreEventType, Snapshot } from './fake-apiserver/store.ts';
export { ResourceRegistry, defineResource, apiVersionOf, gvrKey } from './fake-apiserver/registry.ts';
export type { GroupVersionResource, ResourceType, ResourceDefinition } from './fake-apiserver/registry.ts';
export { WatchHub } from './fake-apiserver/watch.ts';
export { CertificateGenerationError } from './fake-apiserver/tls.ts';
export type { TlsMaterial } from './fake-apiserver/tls.ts';
export { toPartialMetadata, toPartialMetadataList } from './fake-apiserver/metadata.ts';
export type { PartialMetadata, PartialMetadataList } from './fake-apiserver/metadata.ts';
export { renderTable, humanDuration, parseIncludeObject } from './fake-apiserver/table.ts';
export type { Table, TableRow, TableColumnDefinition, IncludeObjectPolicy, RenderTableOptions } from './fake-apiserver/table.ts';
export {
  serveOpenApi,
  openApiV3Document,
  openApiV3Index,
  openApiV3GroupVersionPath,
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
} from './fake-apiserver/openapi.ts';
export type { OpenApiResource, OpenApiResponse } from './fake-apiserver/openapi.ts';
export { FakeInformers } from './fake-informers.ts';
export { FakeInformer } from './fake-informer.ts';
