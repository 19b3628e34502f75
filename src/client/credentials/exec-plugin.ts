// Running a kubeconfig exec credential plugin once: its input, its process, its ExecCredential output.

import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { CredentialError, excerpt } from '../errors.ts';
import type { Credential } from './credential-source.ts';

const API_VERSIONS = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);
/** The longest plugin output read; an ExecCredential is a few kilobytes. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

/** A kubeconfig `users[].user.exec` entry, as client-node keeps it. */
export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[] | null | undefined;
  readonly env?: readonly { readonly name: string; readonly value: string }[] | null | undefined;
  readonly apiVersion?: string | undefined;
  readonly installHint?: string | undefined;
  readonly provideClusterInfo?: boolean | undefined;
  readonly interactiveMode?: string | undefined;
}

/** The cluster fields a plugin may be given (`provideClusterInfo: true`). */
export interface ExecClusterInfo {
  readonly server: string;
  readonly caData?: string | undefined;
  readonly caFile?: string | undefined;
  readonly tlsServerName?: string | undefined;
  readonly skipTLSVerify?: boolean | undefined;
  readonly proxyUrl?: string | undefined;
}

/** What one run of the plugin produced. */
export interface ExecResult {
  readonly credential: Credential;
  /** Epoch milliseconds after which the credential must not be used; undefined = until a 401. */
  readonly expiresAt: number | undefined;
}

/**
 * Runs the plugin as client-go does (non-interactively: stdin is closed): the parent's
 * environment plus `env` plus `KUBERNETES_EXEC_INFO` (an ExecCredential with `spec.interactive:
 * false` and, with `provideClusterInfo`, `spec.cluster`). stdout must hold an ExecCredential of
 * the configured apiVersion with a token or a certificate and key. Rejects with CredentialError.
 */
export async function runExecPlugin(config: ExecConfig, cluster: ExecClusterInfo): Promise<ExecResult> {
  const apiVersion = config.apiVersion ?? '';
  if (!API_VERSIONS.has(apiVersion)) throw new CredentialError('exec', `exec plugin: invalid apiVersion ${JSON.stringify(apiVersion)}`);
  if (config.interactiveMode === 'Always') {
    throw new CredentialError('exec', 'exec plugin cannot support interactive mode: standard input is not a terminal');
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const { name, value } of config.env ?? []) env[name] = value;
  env.KUBERNETES_EXEC_INFO = `${JSON.stringify(await execInfo(config, apiVersion, cluster))}\n`;
  const { stdout, stderr, code } = await spawnPlugin(config, env);
  if (code !== 0) {
    const said = stderr.trim() === '' ? '' : `: ${excerpt(stderr.trim())}`;
    throw new CredentialError('exec', `exec: executable ${config.command} failed with exit code ${String(code)}${said}`);
  }
  return parseExecCredential(stdout, apiVersion);
}

async function execInfo(config: ExecConfig, apiVersion: string, cluster: ExecClusterInfo): Promise<object> {
  const spec: Record<string, unknown> = { interactive: false };
  if (config.provideClusterInfo === true) {
    const info: Record<string, unknown> = { server: cluster.server };
    if (cluster.tlsServerName !== undefined) info['tls-server-name'] = cluster.tlsServerName;
    if (cluster.skipTLSVerify === true) info['insecure-skip-tls-verify'] = true;
    const ca = cluster.caData ?? (cluster.caFile === undefined ? undefined : (await readFile(cluster.caFile)).toString('base64'));
    if (ca !== undefined) info['certificate-authority-data'] = ca;
    if (cluster.proxyUrl !== undefined) info['proxy-url'] = cluster.proxyUrl;
    spec.cluster = info;
  }
  return { kind: 'ExecCredential', apiVersion, spec };
}

function spawnPlugin(config: ExecConfig, env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(config.command, [...(config.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_OUTPUT_BYTES) chunks.push(chunk);
      else child.kill();
    });
    // The plugin's own diagnostics; kept short for the error message, never parsed.
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      const hint = config.installHint === undefined ? '' : `\n\n${config.installHint}`;
      const what = err.code === 'ENOENT' ? 'not found' : `could not be started: ${err.message}`;
      reject(new CredentialError('exec', `exec: executable ${config.command} ${what}${hint}`, { cause: err }));
    });
    child.once('close', (code) => {
      if (size > MAX_OUTPUT_BYTES) {
        reject(new CredentialError('exec', `exec: executable ${config.command} wrote more than ${MAX_OUTPUT_BYTES} bytes`));
      } else {
        resolve({ stdout: Buffer.concat(chunks).toString('utf8'), stderr, code });
      }
    });
  });
}

interface ExecCredentialOutput {
  apiVersion?: unknown;
  status?: { token?: unknown; clientCertificateData?: unknown; clientKeyData?: unknown; expirationTimestamp?: unknown } | null;
}

/** Checks an ExecCredential as client-go does; the messages are client-go's. */
export function parseExecCredential(stdout: string, apiVersion: string): ExecResult {
  let out: ExecCredentialOutput;
  try {
    out = JSON.parse(stdout) as ExecCredentialOutput;
  } catch (err) {
    throw new CredentialError('exec', 'exec plugin: decoding stdout: the output is not JSON', { cause: err });
  }
  if (typeof out !== 'object' || out === null) throw new CredentialError('exec', 'exec plugin: decoding stdout: not an object');
  if (out.apiVersion !== apiVersion) {
    throw new CredentialError(
      'exec',
      `exec plugin is configured to use API version ${apiVersion}, plugin returned version ${JSON.stringify(out.apiVersion)}`,
    );
  }
  const status = out.status;
  if (typeof status !== 'object' || status === null) throw new CredentialError('exec', "exec plugin didn't return a status field");
  const token = nonEmptyString(status.token);
  const cert = nonEmptyString(status.clientCertificateData);
  const key = nonEmptyString(status.clientKeyData);
  if ((cert === undefined) !== (key === undefined)) {
    throw new CredentialError('exec', 'exec plugin returned only certificate or key, not both');
  }
  if (token === undefined && cert === undefined) throw new CredentialError('exec', "exec plugin didn't return a token or cert/key pair");
  let expiresAt: number | undefined;
  if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
    expiresAt = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : Number.NaN;
    if (Number.isNaN(expiresAt)) {
      throw new CredentialError('exec', `exec plugin: invalid expirationTimestamp ${JSON.stringify(status.expirationTimestamp)}`);
    }
  }
  return { credential: { token, cert, key }, expiresAt };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
