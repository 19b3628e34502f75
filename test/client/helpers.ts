// Test helpers for the client layer: tiny hostile HTTP servers and transports pointed at them.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { Transport, type TransportOptions } from '../../src/client/transport.ts';
import { eventually } from '../helpers.ts';

/** A node:http server on 127.0.0.1 that counts its open sockets. */
export interface TinyServer {
  readonly url: string;
  readonly sockets: ReadonlySet<Socket>;
  /** Requests seen, in order ("METHOD path?query"). */
  readonly requests: string[];
  stop(): Promise<void>;
}

/** Starts a server that answers every request with `handler`. */
export async function startTinyServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TinyServer> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    requests,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A KubeConfig whose current context points at `url` with an optional bearer token. */
export function kubeConfigFor(url: string, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: url.startsWith('http:') }],
    users: [token === undefined ? { name: 'u' } : { name: 'u', token }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

/** A transport to a tiny server. */
export function transportFor(server: { readonly url: string }, options?: TransportOptions, token?: string): Transport {
  return Transport.fromKubeConfig(kubeConfigFor(server.url, token), options);
}

/** Asserts the server side has no open connection left (the client released or destroyed them). */
export async function assertNoOpenSockets(server: TinyServer, transport: Transport): Promise<void> {
  await eventually(() => server.sockets.size === 0, 'the server to see every socket closed');
  assert.equal(transport.stats().activeSockets, 0);
}

/** Asserts no request of the transport still holds a socket (idle keep-alive sockets are fine). */
export async function assertNoActiveSockets(transport: Transport): Promise<void> {
  await eventually(() => transport.stats().activeSockets === 0, 'the transport to release its sockets');
}

/** Writes a watch response head the way the APIServer does: 200, JSON, flushed at once. */
export function beginWatch(res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.flushHeaders();
}

/** One compact watch line for `type` and `object`. */
export function line(type: string, object: unknown): string {
  return `${JSON.stringify({ type, object })}\n`;
}

/** A ConfigMap-like object with the given name and resourceVersion. */
export function configMap(name: string, resourceVersion: string, data: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion }, data };
}

/** Reads every event of a watch into an array (until it ends or throws). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
