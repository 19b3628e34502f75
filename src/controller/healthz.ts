// Health checks and the /healthz and /readyz answers, as controller-runtime's pkg/healthz writes them.

import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A health check: resolve (or return) when healthy, throw or reject with the reason when not.
 * @category Observability
 */
export type HealthCheck = () => void | Promise<void>;

/**
 * controller-runtime's `healthz.Ping`: always healthy (the process answers HTTP).
 * @category Observability
 */
export const ping: HealthCheck = () => undefined;

/**
 * A named set of checks served under one path (`/healthz` or `/readyz`), with controller-runtime's
 * answers: `200 ok` when every check passes; `500` with one `[+]name ok` / `[-]name failed: reason
 * withheld` line per check (sorted) when one fails, or always with `?verbose`; `?exclude=name`
 * skips a check; `GET <path>/<name>` runs one check (`ok`, `500 internal server error: <err>`, or 404).
 */
export class HealthChecks {
  readonly #checks = new Map<string, HealthCheck>();

  /** Adds a check; a name already taken is replaced. */
  add(name: string, check: HealthCheck): void {
    this.#checks.set(name, check);
  }

  /** Answers a request for `basePath` or `basePath/<name>`; false when the path is not this set's. */
  async serve(basePath: string, url: URL, res: ServerResponse): Promise<boolean> {
    if (url.pathname === basePath || url.pathname === `${basePath}/`) {
      await this.#serveAll(url, res);
      return true;
    }
    if (!url.pathname.startsWith(`${basePath}/`)) return false;
    const check = this.#checks.get(decodeURIComponent(url.pathname.slice(basePath.length + 1)));
    if (check === undefined) {
      reply(res, 404, '404 page not found\n');
      return true;
    }
    const failure = await run(check);
    if (failure === undefined) reply(res, 200, 'ok');
    else reply(res, 500, `internal server error: ${failure}\n`);
    return true;
  }

  async #serveAll(url: URL, res: ServerResponse): Promise<void> {
    const excluded = new Set(url.searchParams.getAll('exclude'));
    const lines: string[] = [];
    let failed = false;
    for (const name of [...this.#checks.keys()].sort()) {
      if (excluded.delete(name)) {
        lines.push(`[+]${name} excluded: ok`);
        continue;
      }
      const failure = await run(this.#checks.get(name) as HealthCheck);
      failed ||= failure !== undefined;
      lines.push(failure === undefined ? `[+]${name} ok` : `[-]${name} failed: reason withheld`);
    }
    if (excluded.size > 0) lines.push(`warn: some health checks cannot be excluded: no matches for ${[...excluded].map((n) => `"${n}"`).join(',')}`);
    if (failed) {
      reply(res, 500, `${lines.join('\n')}\nhealthz check failed\n`);
    } else if (url.searchParams.has('verbose')) {
      reply(res, 200, `${lines.join('\n')}\nhealthz check passed\n`);
    } else {
      reply(res, 200, 'ok');
    }
  }
}

/** Runs a check; the failure's message, or undefined when it passed. */
async function run(check: HealthCheck): Promise<string | undefined> {
  try {
    await check();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Writes a plain-text answer with the headers controller-runtime sets. */
export function reply(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

/** The request's URL, parsed against a dummy origin (only the path and query matter). */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost');
}
