// Typed errors of the controller layer: bad options, lifecycle misuse, lost leadership, shutdown, terminal reconcile errors.

import { ReasonedError } from '../api/reasoned-error.ts';

/**
 * Reasons carried by {@link ControllerError}s: one per thing a caller can act on.
 * @category Errors
 */
export type ControllerErrorReason =
  | 'InvalidOptions'
  | 'AlreadyStarted'
  | 'DuplicateControllerName'
  | 'LeaseNotInitialized'
  | 'LeaderElectionLost'
  | 'CacheSyncFailed'
  | 'GracefulShutdownTimeout'
  | 'StopEngaged';

/**
 * Base class of this layer's errors: `reason` says what happened; `code` is 0 (not an HTTP answer).
 * @category Errors
 */
export class ControllerError extends ReasonedError<ControllerErrorReason> {
  override readonly name: string = 'ControllerError';
}

/**
 * Options that cannot work together (for example a renew deadline longer than the lease). Not retryable.
 * @category Errors
 */
export class InvalidOptionsError extends ControllerError {
  override readonly name = 'InvalidOptionsError';
  constructor(message: string) {
    super('InvalidOptions', message);
  }
}

/**
 * `start`/`run` was called a second time on something that runs once. Not retryable.
 * @category Errors
 */
export class AlreadyStartedError extends ControllerError {
  override readonly name = 'AlreadyStartedError';
  constructor(what: string) {
    super('AlreadyStarted', `${what} was started more than once`);
  }
}

/**
 * A second controller with the same name was added to a manager (their metrics would collide).
 * @category Errors
 */
export class DuplicateControllerNameError extends ControllerError {
  override readonly name = 'DuplicateControllerNameError';
  constructor(controllerName: string) {
    super(
      'DuplicateControllerName',
      `controller with name ${controllerName} already exists. Controller names must be unique to avoid multiple controllers reporting the same metric`,
    );
  }
}

/**
 * A LeaseLock was asked to update before it ever read or created its Lease. A programming error.
 * @category Errors
 */
export class LeaseNotInitializedError extends ControllerError {
  override readonly name = 'LeaseNotInitializedError';
  constructor() {
    super('LeaseNotInitialized', 'lease not initialized, call get or create first');
  }
}

/**
 * The manager lost its Lease: it could not renew within the renew deadline, so another replica
 * may lead by now. Every reconcile was told to stop at once. Exit the process and let it restart
 * as a candidate (controller-runtime's advice); not retryable in-process.
 * @category Errors
 */
export class LeaderElectionLostError extends ControllerError {
  override readonly name = 'LeaderElectionLostError';
  constructor(options?: { cause?: unknown }) {
    super('LeaderElectionLost', 'leader election lost', options);
  }
}

/**
 * A controller's informers did not sync within its cache sync timeout (or stopped before syncing).
 * @category Errors
 */
export class CacheSyncFailedError extends ControllerError {
  override readonly name = 'CacheSyncFailedError';
  constructor(controllerName: string, detail: string, options?: { cause?: unknown }) {
    super('CacheSyncFailed', `failed to wait for ${controllerName} caches to sync: ${detail}`, options);
  }
}

/**
 * In-flight work did not finish within the manager's graceful shutdown timeout; it was told to stop.
 * @category Errors
 */
export class GracefulShutdownTimeoutError extends ControllerError {
  override readonly name = 'GracefulShutdownTimeoutError';
  constructor(timeoutMs: number) {
    super('GracefulShutdownTimeout', `failed waiting for all runnables to end within grace period of ${timeoutMs / 1000}s`);
  }
}

/**
 * Something was added to a manager that is already stopping.
 * @category Errors
 */
export class StopEngagedError extends ControllerError {
  override readonly name = 'StopEngagedError';
  constructor() {
    super('StopEngaged', "can't accept new runnable as stop procedure is already engaged");
  }
}
