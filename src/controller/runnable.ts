// Runnable: what a Manager starts and stops — controllers, and anything else an operator runs beside them.

/**
 * Options a Manager passes to {@link Runnable.start}.
 * @category Controller
 */
export interface RunnableStartOptions {
  /**
   * Aborts when in-flight work must stop at once: the graceful shutdown timeout has passed, or
   * leadership was lost. Until then, after the start signal aborted, work may finish.
   * @default the start signal itself
   */
  readonly workSignal?: AbortSignal;
}

/**
 * Something a Manager runs (controller-runtime's `manager.Runnable`): `start` runs until `signal`
 * aborts, then winds down and resolves; a rejection stops the manager. Runnables that need
 * leader election (the default) run only while the manager leads.
 * @category Controller
 */
export interface Runnable {
  start(signal: AbortSignal, options?: RunnableStartOptions): Promise<void>;
  /** False to run on every replica, leader or not. @default true when absent */
  needLeaderElection?(): boolean;
}
