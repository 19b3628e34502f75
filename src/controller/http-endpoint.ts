// The manager's HTTP endpoints: bind addresses as controller-runtime spells them, and a small server that closes cleanly.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InvalidOptionsError } from './errors.ts';
import { reply } from './healthz.ts';

/** Where an endpoint listens; host `''` means every interface. */
export interface BindAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses a bind address as controller-runtime takes it: `host:port`, `:port` (every interface),
 * `[v6]:port`, or `"0"` / `""` for "do not serve". Port 0 picks a free port. Throws
 * {@link InvalidOptionsError} on anything else.
 */
export function parseBindAddress(option: string, value: string): BindAddress | undefined {
  if (value === '' || value === '0') return undefined;
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (match === null || port > 65535) throw new InvalidOptionsError(`${option}: expected host:port, :port or "0", got ${JSON.stringify(value)}`);
  return { host: match[1] ?? match[2] ?? '', port };
}

/** A request handler; a throw or rejection becomes a 500. */
export type EndpointHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** An HTTP server on one address; {@link HttpEndpoint.close} ends it and every connection. */
export class HttpEndpoint {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** `http://host:port` as bound (the chosen port when 0 was asked). */
  readonly url: string;

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Listens on `address`; rejects when it cannot bind (address in use, say). */
  static async listen(address: BindAddress, handler: EndpointHandler): Promise<HttpEndpoint> {
    const server = createServer((req, res) => {
      handler(req, res).catch((err: unknown) => {
        if (res.headersSent) res.destroy();
        else reply(res, 500, `internal server error: ${err instanceof Error ? err.message : String(err)}\n`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.port, address.host === '' ? undefined : address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as AddressInfo;
    const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    return new HttpEndpoint(server, `http://${host}:${bound.port}`);
  }

  /** Stops listening and closes every connection, idle keep-alive ones included. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}
