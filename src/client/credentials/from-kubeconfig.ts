// Which credentials of a KubeConfig's current user kubecache keeps fresh itself, and which client-node applies.

import { KubeConfig, type User } from '@kubernetes/client-node';
import type { Logger } from '../../api/logger.ts';
import type { TransportClock } from '../transport-clock.ts';
import type { CredentialSource } from './credential-source.ts';
import type { ExecConfig } from './exec-plugin.ts';
import { ExecCredentialSource } from './exec-source.ts';
import { TokenFileSource } from './token-file.ts';

/** The name client-node gives the auth provider of a token file (its in-cluster config uses it). */
export const TOKEN_FILE_PROVIDER = 'tokenFile';

/** How a transport authenticates the current user of a KubeConfig. */
export interface UserCredentials {
  /** The rotating credential kubecache refreshes itself, if the user has one. */
  readonly source: CredentialSource | undefined;
  /**
   * The KubeConfig client-node applies TLS settings, client certificates, basic auth, static
   * tokens and its other auth providers from: the original, or a copy whose current user no
   * longer carries the credential `source` owns (so client-node neither runs the plugin nor
   * reads the file a second time).
   */
  readonly kubeConfig: KubeConfig;
}

/**
 * Splits the current user's credentials between kubecache and client-node:
 *
 * - `exec` (unless the user also has a token, basic auth or a client certificate, as client-go
 *   skips the plugin then) → an {@link ExecCredentialSource};
 * - an auth provider named `tokenFile` (client-node's in-cluster config, and what
 *   `loadKubeConfig` makes of `tokenFile:` / `token-file:`) → a {@link TokenFileSource}, with the
 *   user's static `token` as its fallback;
 * - anything else stays with client-node.
 */
export function userCredentials(kc: KubeConfig, options: { clock: TransportClock; logger?: Logger | undefined }): UserCredentials {
  const user = kc.getCurrentUser();
  const cluster = kc.getCurrentCluster();
  if (user === null || cluster === null) return { source: undefined, kubeConfig: kc };
  const tokenFile = tokenFileOf(user);
  if (tokenFile !== undefined) {
    const source = new TokenFileSource(tokenFile, { fallbackToken: user.token, ...options });
    return { source, kubeConfig: replaceUser(kc, user, ['authProvider', 'token']) };
  }
  const exec = execOf(user);
  if (exec !== undefined) {
    const hasOtherAuth = nonEmpty(user.token) || nonEmpty(user.username) || nonEmpty(user.certData) || nonEmpty(user.certFile);
    if (hasOtherAuth) return { source: undefined, kubeConfig: replaceUser(kc, user, ['exec']) };
    const source = new ExecCredentialSource(exec, cluster, options);
    return { source, kubeConfig: replaceUser(kc, user, ['exec']) };
  }
  return { source: undefined, kubeConfig: kc };
}

function tokenFileOf(user: User): string | undefined {
  const provider = user.authProvider as { name?: unknown; config?: { tokenFile?: unknown } } | null | undefined;
  const path = provider?.config?.tokenFile;
  return provider?.name === TOKEN_FILE_PROVIDER && typeof path === 'string' && path !== '' ? path : undefined;
}

function execOf(user: User): ExecConfig | undefined {
  const exec = user.exec as Partial<ExecConfig> | null | undefined;
  return typeof exec?.command === 'string' && exec.command !== '' ? (exec as ExecConfig) : undefined;
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** A copy of `kc` whose entry for `user` lacks `keys`; clusters, contexts and the rest are shared. */
function replaceUser(kc: KubeConfig, user: User, keys: readonly string[]): KubeConfig {
  const stripped = Object.fromEntries(Object.entries(user).filter(([key]) => !keys.includes(key))) as unknown as User;
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kc.getClusters(),
    users: kc.getUsers().map((u) => (u.name === user.name ? stripped : u)),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return copy;
}
