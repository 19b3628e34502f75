// The fake APIServer's request-body limit: bodies over 3 MiB are refused with 413, never buffered.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { MAX_REQUEST_BODY_BYTES } from '../../src/testing/fake-apiserver/request-body.ts';
import { request, startServer } from './fake-apiserver-helpers.ts';

// Sends `head` (and then `body`, if any) on a raw socket and resolves with the response head and body.
function rawExchange(server: FakeApiServer, head: string, body?: Buffer): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      // One Status object ends with a newline after the head's blank line.
      const split = received.indexOf('\r\n\r\n');
      if (split !== -1 && received.slice(split + 4).includes('}\n')) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed before a full response: ${JSON.stringify(received)}`)));
    socket.write(head);
    if (body !== undefined) socket.write(body);
  });
}

// The Status object of a (possibly chunk-framed) response.
function statusBody(response: string): { code: number; reason: string; message: string } {
  const body = response.slice(response.indexOf('\r\n\r\n') + 4);
  return JSON.parse(body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1)) as { code: number; reason: string; message: string };
}

void describe('fake APIServer request bodies', { timeout: 20_000 }, () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  void test('a Content-Length over 3 MiB is answered 413 RequestEntityTooLarge before any body byte is sent', async () => {
    const head =
      'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${MAX_REQUEST_BODY_BYTES + 1}\r\n\r\n`;
    const response = await rawExchange(server, head);
    assert.match(response, /^HTTP\/1\.1 413 /);
    const s = statusBody(response);
    assert.equal(s.code, 413);
    assert.equal(s.reason, 'RequestEntityTooLarge');
    assert.equal(s.message, `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`);
  });

  void test('a chunked body that grows past 3 MiB is answered 413 and nothing is created', async () => {
    const chunk = Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 0x20);
    const head =
      'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Transfer-Encoding: chunked\r\n\r\n' +
      `${chunk.length.toString(16)}\r\n`;
    const response = await rawExchange(server, head, Buffer.concat([chunk, Buffer.from('\r\n0\r\n\r\n')]));
    assert.match(response, /^HTTP\/1\.1 413 /);
    assert.equal(statusBody(response).reason, 'RequestEntityTooLarge');
    const list = await request(server, 'GET', '/api/v1/namespaces/default/configmaps');
    assert.deepEqual(list.body.items, []);
  });

  void test('a body just under the limit is still read whole', async () => {
    const padding = 'x'.repeat(MAX_REQUEST_BODY_BYTES - 200);
    const created = await request(server, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { padding } },
    });
    assert.equal(created.status, 201);
    assert.equal((created.body.data as { padding: string }).padding.length, padding.length);
  });
});
