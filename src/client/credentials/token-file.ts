// A bearer token read from a file that rotates: kubeconfig `tokenFile`, in-cluster service-account tokens.

import { readFile } from 'node:fs/promises';
import type { Logger } from '../../api/logger.ts';
import { CredentialError } from '../errors.ts';
import type { TransportClock } from '../transport-clock.ts';
import type { Credential, CredentialSource } from './credential-source.ts';
import { SingleFlight } from './single-flight.ts';

/** How long a token read from the file is used (client-go's cached file token source). */
export const TOKEN_FILE_TTL_MS = 60_000;
/** A cached token is re-read this long before its TTL ends, so at most every ~50 s. */
export const TOKEN_FILE_LEEWAY_MS = 10_000;

interface Cached {
  readonly credential: Credential;
  expiresAt: number;
}

/**
 * The token in a file, re-read as client-go re-reads it and sooner:
 *
 * - when a request needs a token and the copy is older than ~50 s (60 s TTL, 10 s leeway); there
 *   is no timer, so an idle transport reads nothing;
 * - at once when a request fails with 401 while carrying the current copy (client-go waits for the
 *   50 s to pass; bound service-account tokens are revoked before their files are rewritten);
 * - concurrent requests share one read.
 *
 * The contents are trimmed. A read that fails (or finds an empty file) keeps serving the last
 * token and is retried by the next request (logged as a warning); with no token read yet it falls
 * back to the kubeconfig's static `token`, or fails the request with CredentialError.
 */
export class TokenFileSource implements CredentialSource {
  readonly #path: string;
  readonly #fallback: string | undefined;
  readonly #clock: TransportClock;
  readonly #logger: Logger | undefined;
  readonly #flight = new SingleFlight<Credential>();
  #cached: Cached | undefined;
  #refreshes = 0;

  constructor(path: string, options: { fallbackToken?: string | undefined; clock: TransportClock; logger?: Logger | undefined }) {
    this.#path = path;
    this.#fallback = options.fallbackToken === '' ? undefined : options.fallbackToken;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  get refreshes(): number {
    return this.#refreshes;
  }

  current(): Promise<Credential> {
    const cached = this.#cached;
    if (cached !== undefined && cached.expiresAt - TOKEN_FILE_LEEWAY_MS > this.#clock.now()) return Promise.resolve(cached.credential);
    return this.#flight.run(() => this.#read());
  }

  async unauthorized(used: Credential): Promise<Error | undefined> {
    const cached = this.#cached;
    if (cached !== undefined && cached.credential !== used) return undefined;
    if (cached !== undefined) cached.expiresAt = Number.NEGATIVE_INFINITY;
    try {
      await this.current();
      return undefined;
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  async #read(): Promise<Credential> {
    this.#refreshes++;
    let token: string;
    try {
      token = (await readFile(this.#path, 'utf8')).trim();
      if (token === '') throw new Error(`read empty token from file ${JSON.stringify(this.#path)}`);
    } catch (err) {
      return this.#readFailed(err);
    }
    const credential: Credential = { token };
    this.#cached = { credential, expiresAt: this.#clock.now() + TOKEN_FILE_TTL_MS };
    return credential;
  }

  #readFailed(err: unknown): Credential {
    const message = err instanceof Error ? err.message : String(err);
    if (this.#cached !== undefined) {
      // The expiry stays where it is, so the next request tries again.
      this.#logger?.warn('unable to rotate the token; using the last one read', { tokenFile: this.#path, error: message });
      return this.#cached.credential;
    }
    if (this.#fallback !== undefined) return { token: this.#fallback };
    throw new CredentialError('tokenFile', `failed to read token file ${JSON.stringify(this.#path)}: ${message}`, { cause: err });
  }
}
