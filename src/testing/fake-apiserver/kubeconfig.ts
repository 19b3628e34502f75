// Kubeconfigs pointing at a running fake APIServer: as a client-node KubeConfig and as YAML.

// A static import: a lazy require() of this ES module can load a second copy of client-node
// under loaders such as tsx, and a KubeConfig from one copy is not an instance of the other's.
import { KubeConfig } from '@kubernetes/client-node';

/** What a kubeconfig for the fake server carries. */
export interface KubeConfigParams {
  readonly url: string;
  /** PEM of the CA when serving TLS. */
  readonly caCert: string | undefined;
  readonly token: string | undefined;
}

const NAME = 'kubecache-fake';

/** A client-node KubeConfig whose current context targets the server, namespace `default`. */
export function makeKubeConfig(p: KubeConfigParams): KubeConfig {
  const kc = new KubeConfig();
  // client-node 2.x refuses plain http unless skipTLSVerify is set; there is no TLS to verify then.
  const cluster: Record<string, unknown> = { name: NAME, server: p.url, skipTLSVerify: p.caCert === undefined };
  if (p.caCert !== undefined) cluster['caData'] = Buffer.from(p.caCert).toString('base64');
  const user: Record<string, unknown> = { name: NAME };
  if (p.token !== undefined) user['token'] = p.token;
  kc.loadFromOptions({
    clusters: [cluster],
    users: [user],
    contexts: [{ name: NAME, cluster: NAME, user: NAME, namespace: 'default' }],
    currentContext: NAME,
  });
  return kc;
}

/**
 * The same kubeconfig as YAML, for kubectl's `--kubeconfig` and client-node's `loadFromFile`. Plain
 * HTTP carries `insecure-skip-tls-verify: true`, as {@link makeKubeConfig} does: client-node 2.x
 * refuses an `http://` server without it (kubectl does not mind it).
 */
export function makeKubeConfigYaml(p: KubeConfigParams): string {
  const ca =
    p.caCert === undefined
      ? '\n    insecure-skip-tls-verify: true'
      : `\n    certificate-authority-data: ${Buffer.from(p.caCert).toString('base64')}`;
  const user = p.token === undefined ? '{}' : `\n    token: ${JSON.stringify(p.token)}`;
  return `apiVersion: v1
kind: Config
clusters:
- name: ${NAME}
  cluster:
    server: ${JSON.stringify(p.url)}${ca}
users:
- name: ${NAME}
  user: ${user}
contexts:
- name: ${NAME}
  context:
    cluster: ${NAME}
    user: ${NAME}
    namespace: default
current-context: ${NAME}
`;
}
