// The Client layer: controller-runtime's client.Client over kind handles, patches, retries and subresources.

export { Client } from './client.ts';
export {
  ClientError,
  ignoreAlreadyExists,
  ignoreNotFound,
  InvalidPatchError,
  MetadataOnlyWriteError,
  MissingNamespaceError,
  type ClientErrorReason,
} from './errors.ts';
export { mutable, type Mutable } from './mutable.ts';
export type {
  ApplyConfiguration,
  ApplyOptions,
  CallOptions,
  ClientDeleteOptions,
  ClientGetOptions,
  ClientList,
  ClientListOptions,
  ClientOptions,
  ClientPatchOptions,
  ClientReadResult,
  CreateOptions,
  DeepPartial,
  DeleteAllOfOptions,
  UpdateOptions,
  WriteCallOptions,
} from './options.ts';
export { createMergePatch, mergeFrom, Patch, type ClientPatchType, type JsonPatchOperation, type MergeFromOptions } from './patch.ts';
export { DEFAULT_BACKOFF, DEFAULT_RETRY, retryOnConflict, retryOnError, type RetryBackoff, type RetryOptions } from './retry.ts';
export { StatusWriter, SubResourceClient, type Eviction, type KnownSubResources, type Scale } from './subresource-client.ts';
