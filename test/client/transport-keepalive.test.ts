// The keep-alive race: the server drops a pooled idle socket just as the client reuses it.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConnectionError } from '../../src/client/errors.ts';
import type { Transport } from '../../src/client/transport.ts';
import { transportFor } from './helpers.ts';

void describe('Transport on a pooled socket the server has dropped', () => {
  let server: http.Server;
  let url: string;
  const requestsPerSocket = new Map<Socket, number>();
  let received = 0;

  void before(async () => {
    // Every socket answers its first request and silently dies on its second, before any response.
    server = http.createServer((req, res) => {
      received++;
      const n = (requestsPerSocket.get(req.socket) ?? 0) + 1;
      requestsPerSocket.set(req.socket, n);
      if (n > 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'keep-alive' });
      res.end(JSON.stringify({ kind: 'Status', metadata: {}, n: received }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  void after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function warmed(): Promise<Transport> {
    const transport = transportFor({ url }, { maxSockets: 1 });
    await transport.requestJson({ path: '/warm' });
    return transport;
  }

  void it('retries an idempotent request once on a fresh socket', async () => {
    const transport = await warmed();
    const before = received;
    const body = (await transport.requestJson({ path: '/again' })) as { n: number };
    assert.equal(received - before, 2, 'one request lost with the stale socket, one answered on a new one');
    assert.equal(body.n, received);
    transport.close();
  });

  void it('leaves no timer of the lost attempt behind, which would hold the process open for the request timeout', async () => {
    const transport = await warmed();
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await transport.requestJson({ path: '/again' });
    assert.equal(timers(), before);
    transport.close();
  });

  void it('does not retry a POST, whose first attempt may have reached the server', async () => {
    const transport = await warmed();
    const before = received;
    await assert.rejects(transport.requestJson({ method: 'POST', path: '/create', body: '{}' }), ConnectionError);
    assert.equal(received - before, 1);
    transport.close();
  });
});
