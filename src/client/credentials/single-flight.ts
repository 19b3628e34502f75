// One refresh at a time: callers that arrive while it runs share its outcome.

/**
 * Runs at most one task at a time; callers arriving while it runs get the same promise (Go's
 * singleflight, as client-go's exec authenticator and token sources use a mutex for).
 */
export class SingleFlight<T> {
  #running: Promise<T> | undefined;

  /** Starts `task` unless one is running, and resolves with the running task's outcome. */
  run(task: () => Promise<T>): Promise<T> {
    this.#running ??= task().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** True while a task runs. */
  get running(): boolean {
    return this.#running !== undefined;
  }
}
