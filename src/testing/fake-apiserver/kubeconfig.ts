// Kubeconfigs pointing at a running fake APIServer: as a client-node KubeConfig and as YAML.

import { createRequire } from 'node:module';
import type { KubeConfig } from '@kubernetes/client-node';

// client-node takes seconds to load; only callers of kubeConfig() should pay for it, so it is
// loaded on first use (Node's require of an ES module is synchronous).
const requireModule = createRequire(import.meta.url);
let clientNode: typeof import('@kubernetes/client-node') | undefined;

function loadClientNode(): typeof import('@kubernetes/client-node') {
  clientNode ??= requireModule('@kubernetes/client-node') as typeof import('@kubernetes/client-node');
  return clientNode;
}

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
  const kc = new (loadClientNode().KubeConfig)();
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

/** The same kubeconfig as YAML, for kubectl's `--kubeconfig`. */
export function makeKubeConfigYaml(p: KubeConfigParams): string {
  const ca = p.caCert === undefined ? '' : `\n    certificate-authority-data: ${Buffer.from(p.caCert).toString('base64')}`;
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
