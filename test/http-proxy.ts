// A loopback HTTP proxy in front of the fake APIServer, for tests that play a server or network in between.

import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import type { FakeApiServer } from '../src/testing/index.ts';
import { deferCleanup } from './cleanup.ts';
import { kubeConfigFor } from './client/helpers.ts';

/** A request as the proxy's hooks see it. */
export interface ProxiedRequest {
  readonly method: string;
  /** Resolved against the server's URL. */
  readonly url: URL;
}

/** An answer the proxy gives itself: a status and a JSON body. */
export interface ProxyAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** How the proxy departs from passing everything through. */
export interface ProxyHooks {
  /** Answers a request itself instead of forwarding it. */
  readonly answer?: (req: ProxiedRequest) => ProxyAnswer | undefined;
  /** The headers sent upstream. @default the request's */
  readonly headers?: (req: ProxiedRequest, headers: IncomingHttpHeaders) => IncomingHttpHeaders;
  /** Sees each forwarded request with the response its answer is piped into. */
  readonly forwarded?: (req: ProxiedRequest, res: ServerResponse) => void;
}

/** A running proxy. */
export interface HttpProxy {
  readonly url: string;
  /** A kubeconfig pointing at the proxy. */
  kubeConfig(): KubeConfig;
}

/**
 * Starts a proxy to `server` on 127.0.0.1 that streams requests and answers through (watches
 * included) unless a hook says otherwise. It stops after the test, its sockets destroyed; a client
 * that gives up on a request makes the proxy give up on it upstream too.
 */
export async function startHttpProxy(t: TestContext, server: FakeApiServer, hooks: ProxyHooks = {}): Promise<HttpProxy> {
  const target = new URL(server.url);
  const sockets = new Set<Socket>();
  const proxy = http.createServer((req, res) => {
    const seen: ProxiedRequest = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', target) };
    const own = hooks.answer?.(seen);
    if (own !== undefined) {
      res.writeHead(own.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(own.body));
      return;
    }
    hooks.forwarded?.(seen, res);
    const headers = hooks.headers?.(seen, req.headers) ?? req.headers;
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  proxy.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  deferCleanup(t, async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return { url, kubeConfig: () => kubeConfigFor(url) };
}
