// The client layer: transport from a KubeConfig, list/watch, watch decoding, RESTMapper (paging lives in informer/pager.ts).

export {
  ConnectionError,
  CredentialError,
  InvalidResponseError,
  NoKindMatchError,
  NoResourceMatchError,
  RedirectError,
  RequestTimeoutError,
  StaleGroupVersionError,
  TransportConfigError,
  WatchDecodeError,
} from './errors.ts';
export type { ConnectionErrorReason, CredentialSourceKind, InvalidResponseReason, WatchDecodeErrorReason } from './errors.ts';
export { loadKubeConfig } from './kubeconfig.ts';
export type { LoadKubeConfigOptions } from './kubeconfig.ts';
export type { GroupVersionKind, GroupVersionResource } from './gvk.ts';
export { groupVersionString } from './gvk.ts';
export { ListBodyDecoder, ListBodyError } from './list-body-decoder.ts';
export type { ListBodyDecoderOptions, ListBodyErrorReason } from './list-body-decoder.ts';
export { ListWatch, METADATA_ACCEPT, METADATA_LIST_ACCEPT } from './list-watch.ts';
export type { ListWatchOptions } from './list-watch.ts';
export { resourcePath } from './paths.ts';
export type { ResourceLocation } from './paths.ts';
export { RestClient } from './rest-client.ts';
export type {
  DeleteBodyOptions,
  DeleteCollectionOptions,
  DeleteOptions,
  GetObjectOptions,
  ListObjectsOptions,
  PatchOptions,
  PatchType,
  Preconditions,
  RestCallOptions,
  SubresourceCallOptions,
  WriteOptions,
} from './rest-client.ts';
export { RESTMapper } from './rest-mapper.ts';
export type { RESTMapperOptions, RESTMapping, RESTMappingOptions, RESTScope } from './rest-mapper.ts';
export { Transport } from './transport.ts';
export type { HttpMethod, StreamResponse, TransportOptions, TransportRequest, TransportStats } from './transport.ts';
export { realTransportClock } from './transport-clock.ts';
export type { TransportClock } from './transport-clock.ts';
export { DEFAULT_MAX_EVENT_BYTES, WatchDecoder } from './watch-decoder.ts';
export type { WatchDecoderOptions, WatchEventSink } from './watch-decoder.ts';
export { HttpWatchStream, type HttpWatchStreamOptions } from './http-watch-stream.ts';
