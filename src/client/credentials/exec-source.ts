// Credentials from an exec plugin: cached until they expire, refreshed once on 401, one run at a time.

import type { Logger } from '../../api/logger.ts';
import { wallTimeOf, type TransportClock } from '../transport-clock.ts';
import type { Credential, CredentialSource } from './credential-source.ts';
import { runExecPlugin, type ExecClusterInfo, type ExecConfig, type ExecResult } from './exec-plugin.ts';
import { SingleFlight } from './single-flight.ts';

/**
 * client-go's exec authenticator: the plugin's credential is reused until its
 * `expirationTimestamp` has passed (no leeway), or, without one, until a 401. Runs never
 * overlap: every request that needs a credential while the plugin runs waits for that run
 * (40 informers reconnecting after an expiry run it once). A 401 with the current credential
 * re-runs the plugin at once; the failed request still reports its 401, the next one carries
 * the new credential. A failed run is not cached: the next request runs the plugin again.
 */
export class ExecCredentialSource implements CredentialSource {
  readonly #config: ExecConfig;
  readonly #cluster: ExecClusterInfo;
  readonly #wallNow: () => number;
  readonly #logger: Logger | undefined;
  readonly #flight = new SingleFlight<Credential>();
  #cached: ExecResult | undefined;
  #refreshes = 0;

  constructor(config: ExecConfig, cluster: ExecClusterInfo, options: { clock: TransportClock; logger?: Logger | undefined }) {
    this.#config = config;
    this.#cluster = cluster;
    this.#wallNow = wallTimeOf(options.clock);
    this.#logger = options.logger;
  }

  get refreshes(): number {
    return this.#refreshes;
  }

  current(): Promise<Credential> {
    const cached = this.#cached;
    if (cached !== undefined && (cached.expiresAt === undefined || this.#wallNow() <= cached.expiresAt)) {
      return Promise.resolve(cached.credential);
    }
    return this.#flight.run(() => this.#run());
  }

  async unauthorized(used: Credential): Promise<Error | undefined> {
    if (this.#cached !== undefined && this.#cached.credential !== used) return undefined;
    this.#cached = undefined;
    try {
      await this.current();
      return undefined;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.#logger?.warn('exec plugin refresh after 401 failed', { command: this.#config.command, error: error.message });
      return error;
    }
  }

  async #run(): Promise<Credential> {
    this.#refreshes++;
    this.#cached = undefined;
    const result = await runExecPlugin(this.#config, this.#cluster);
    this.#cached = result;
    return result.credential;
  }
}
