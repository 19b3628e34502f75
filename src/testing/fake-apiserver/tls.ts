// TLS material for the fake APIServer: a throwaway CA and a server certificate, made with openssl.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM-encoded CA certificate plus the server's key and certificate signed by it. */
export interface TlsMaterial {
  readonly caCert: string;
  readonly serverKey: string;
  readonly serverCert: string;
}

/**
 * Raised when the `openssl` binary is missing or fails. Not retryable.
 * @category Errors
 */
export class CertificateGenerationError extends Error {
  override readonly name = 'CertificateGenerationError';
  readonly reason = 'CertificateGenerationFailed';
  readonly code = 500;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err) {
    const missing = (err as { code?: unknown }).code === 'ENOENT';
    const message = missing
      ? 'the fake apiserver needs the openssl binary for tls: true (install openssl, e.g. apt-get install openssl)'
      : `openssl ${args[0] ?? ''} failed while generating test certificates`;
    throw new CertificateGenerationError(message, { cause: err });
  }
}

/**
 * Generates a P-256 CA and a server certificate valid for 127.0.0.1, ::1 and localhost,
 * in a temporary directory that is removed afterwards.
 */
export async function generateTlsMaterial(): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'kubecache-fake-apiserver-'));
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kubecache-fake-ca'], dir);
    await openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kubecache-fake-apiserver'], dir);
    await writeFile(
      join(dir, 'ext.cnf'),
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
    );
    await openssl(
      ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf'],
      dir,
    );
    const [caCert, serverKey, serverCert] = await Promise.all(
      ['ca.crt', 'server.key', 'server.crt'].map((f) => readFile(join(dir, f), 'utf8')),
    );
    return { caCert: caCert ?? '', serverKey: serverKey ?? '', serverCert: serverCert ?? '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
