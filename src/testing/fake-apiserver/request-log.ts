// A record of the requests the fake APIServer received, so tests can assert what a client did.

/**
 * One received request.
 * @category Testing
 */
export interface RequestRecord {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  /** The parsed query parameters. */
  readonly query: URLSearchParams;
  /** `list`, `watch`, `get`, `create`, `update`, `patch`, `delete`, `deletecollection`, `discovery`, or `throttled` (refused by `faults.throttle`). */
  readonly verb: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

/**
 * Filter of {@link RequestLog.count}.
 * @category Testing
 */
export interface RequestFilter {
  readonly verb?: string;
  readonly resource?: string;
  readonly namespace?: string;
}

/**
 * The requests a server received, oldest first (`server.requests`).
 * @category Testing
 */
export class RequestLog {
  readonly #records: RequestRecord[] = [];

  /** Appends a record. */
  add(record: RequestRecord): void {
    this.#records.push(record);
  }

  /** Every record so far (a copy). */
  get records(): readonly RequestRecord[] {
    return [...this.#records];
  }

  /** How many requests match the filter (all when empty). */
  count(filter: RequestFilter = {}): number {
    return this.filter(filter).length;
  }

  /** The requests matching the filter. */
  filter(filter: RequestFilter): RequestRecord[] {
    return this.#records.filter(
      (r) =>
        (filter.verb === undefined || r.verb === filter.verb) &&
        (filter.resource === undefined || r.resource === filter.resource) &&
        (filter.namespace === undefined || r.namespace === filter.namespace),
    );
  }

  /** Forgets every record. */
  clear(): void {
    this.#records.length = 0;
  }
}
