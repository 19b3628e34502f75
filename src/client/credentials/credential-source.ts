// What a request's credentials come from when they can change: a token file or an exec plugin.

/**
 * The credentials one request carries. Each fetch yields a new object, so a 401 can tell
 * whether the credential it failed with is still the current one (by identity).
 */
export interface Credential {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string | undefined;
  /** PEM client certificate and key (exec plugins may return them instead of a token). */
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

/**
 * A credential that rotates. `current()` is called for every request and is cheap while the
 * cached credential is fresh; a refresh (file read, plugin run) is shared by every request that
 * needs it at the same moment.
 */
export interface CredentialSource {
  /**
   * The credential for the next request: the cached one while fresh, else a refreshed one.
   * Rejects with CredentialError when none can be had.
   */
  current(): Promise<Credential>;
  /**
   * A request sent with `used` got 401. Refreshes at once unless another request already
   * replaced `used`, and resolves once the refresh is done, with its error if it failed (the
   * next `current()` tries again). The 401 itself is still reported to the caller.
   */
  unauthorized(used: Credential): Promise<Error | undefined>;
  /** How many times the source read its file or ran its plugin. */
  readonly refreshes: number;
}
