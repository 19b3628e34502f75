// Loading a kubeconfig as controller-runtime's GetConfig does, keeping the token files client-node drops.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig, loadYaml, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { TOKEN_FILE_PROVIDER } from './credentials/from-kubeconfig.ts';
import { TransportConfigError } from './errors.ts';

/**
 * Options of {@link loadKubeConfig}.
 * @category Client
 */
export interface LoadKubeConfigOptions {
  /**
   * A kubeconfig file, or several joined with the path delimiter as in `KUBECONFIG` (the first
   * file to name a cluster, user or context wins, as kubectl merges them).
   * @default `$KUBECONFIG`, else the in-cluster service account, else `~/.kube/config`
   */
  readonly path?: string;
  /** The context to use instead of the file's `current-context`. */
  readonly context?: string;
}

interface RawUser {
  name?: unknown;
  user?: Record<string, unknown> | null;
}

/**
 * Loads a kubeconfig into a client-node KubeConfig whose token files keep rotating.
 *
 * client-node reads `token-file:` once, at load, and ignores `tokenFile:` (the key kubectl and
 * client-go write), so a Transport built from `kc.loadFromDefault()` sends a stale token, or
 * none, once the file rotates. Here each user's `tokenFile` (or `token-file`), resolved against
 * the kubeconfig's directory, becomes a `tokenFile` auth provider, which the Transport re-reads
 * about every 50 s and at once after a 401 (client-node's own clients re-read it every 60 s).
 * A user's static `token` stays as the fallback for a file that cannot be read; a token file
 * wins over `exec`, as in client-go. Relative exec commands holding a path separator are
 * resolved against the kubeconfig's directory too.
 *
 * Where it looks, as controller-runtime's `GetConfig`: `options.path`, else `$KUBECONFIG`, else
 * the in-cluster service account (client-node's `loadFromCluster`), else `~/.kube/config`.
 *
 * @throws TransportConfigError when no kubeconfig is found, a file does not parse, a user's token
 *   file cannot be read and it has no static token, or `context` is unknown.
 * @example
 * const cache = new Cache(loadKubeConfig());
 * @category Client
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const kc = locate(options.path);
  if (options.context !== undefined) {
    if (kc.getContextObject(options.context) === null) {
      throw new TransportConfigError(`context ${JSON.stringify(options.context)} does not exist in the kubeconfig`);
    }
    kc.setCurrentContext(options.context);
  }
  return kc;
}

function locate(explicit: string | undefined): KubeConfig {
  if (explicit !== undefined) return mergeFiles(splitPaths(explicit), true);
  const env = process.env.KUBECONFIG;
  if (env !== undefined && env !== '') return mergeFiles(splitPaths(env), false);
  if (process.env.KUBERNETES_SERVICE_HOST !== undefined && process.env.KUBERNETES_SERVICE_PORT !== undefined) {
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return kc;
  }
  const home = path.join(homedir(), '.kube', 'config');
  if (existsSync(home)) return mergeFiles([home], true);
  throw new TransportConfigError('no kubeconfig found: set KUBECONFIG, run in a cluster, or create ~/.kube/config');
}

function splitPaths(list: string): string[] {
  return list.split(path.delimiter).filter((p) => p !== '');
}

// KUBECONFIG entries that do not exist are skipped, as kubectl skips them; an explicit path must exist.
function mergeFiles(files: readonly string[], mustExist: boolean): KubeConfig {
  const loaded = files.filter((file) => mustExist || existsSync(file)).map(loadFile);
  if (loaded.length === 0) throw new TransportConfigError(`none of the kubeconfig files exist: ${files.join(path.delimiter)}`);
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  for (const kc of loaded) {
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    const current = kc.getCurrentContext();
    if (currentContext === undefined && current !== undefined && current !== '') currentContext = current;
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return merged;
}

function loadFile(file: string): KubeConfig {
  const dir = path.dirname(path.resolve(file));
  let raw: { users?: RawUser[] | null };
  try {
    raw = loadYaml<{ users?: RawUser[] | null }>(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TransportConfigError(`cannot load the kubeconfig ${JSON.stringify(file)}`, { cause: err });
  }
  const tokenFiles = new Map<string, string>();
  for (const entry of raw.users ?? []) {
    const user = entry.user;
    if (typeof entry.name !== 'string' || typeof user !== 'object' || user === null) continue;
    const tokenFile = user.tokenFile ?? user['token-file'];
    // client-node would read token-file now, relative to the process's directory; it is ours to read.
    delete user.tokenFile;
    delete user['token-file'];
    if (typeof tokenFile === 'string' && tokenFile !== '') tokenFiles.set(entry.name, path.resolve(dir, tokenFile));
    resolveExecCommand(user, dir);
  }
  const kc = new KubeConfig();
  try {
    // JSON is YAML: client-node parses the edited document as it would the file.
    kc.loadFromString(JSON.stringify(raw));
  } catch (err) {
    throw new TransportConfigError(`cannot load the kubeconfig ${JSON.stringify(file)}`, { cause: err });
  }
  kc.makePathsAbsolute(dir);
  const users = kc.getUsers().map((user) => {
    const tokenFile = tokenFiles.get(user.name);
    return tokenFile === undefined ? user : withTokenFile(user, tokenFile);
  });
  kc.loadFromOptions({ clusters: kc.getClusters(), users, contexts: kc.getContexts(), currentContext: kc.getCurrentContext() });
  return kc;
}

// client-go resolves an exec command against the kubeconfig's directory only if it holds a separator (not a PATH lookup).
function resolveExecCommand(user: Record<string, unknown>, dir: string): void {
  const exec = user.exec as { command?: unknown } | null | undefined;
  if (exec === null || exec === undefined) return;
  const command = exec.command;
  if (typeof command === 'string' && command.includes(path.sep) && !path.isAbsolute(command)) exec.command = path.join(dir, command);
}

// With only a token file, client-go reads it at load and fails the load if it cannot.
function withTokenFile(user: User, tokenFile: string): User {
  if (user.token === undefined || user.token === '') {
    try {
      readFileSync(tokenFile);
    } catch (err) {
      throw new TransportConfigError(`user ${JSON.stringify(user.name)}: cannot read its token file ${JSON.stringify(tokenFile)}`, { cause: err });
    }
  }
  const kept = Object.fromEntries(Object.entries(user).filter(([key]) => key !== 'exec' && key !== 'authProvider'));
  return { ...kept, name: user.name, authProvider: { name: TOKEN_FILE_PROVIDER, config: { tokenFile } } };
}
