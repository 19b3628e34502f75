// The credentials one request carries, and hiding them in anything quoted from its answer.

import type http from 'node:http';
import type https from 'node:https';

/** The credential strings of a request, to be blanked out of anything quoted from a response. */
export function secretsOf(options: https.RequestOptions): string[] {
  const secrets: string[] = [];
  const headers = options.headers !== undefined && !Array.isArray(options.headers) ? (options.headers as http.OutgoingHttpHeaders) : {};
  const authorization = headers.Authorization;
  if (typeof authorization === 'string') {
    const space = authorization.indexOf(' ');
    secrets.push(space === -1 ? authorization : authorization.slice(space + 1));
  }
  if (typeof options.auth === 'string' && options.auth !== '') {
    secrets.push(options.auth, Buffer.from(options.auth).toString('base64'));
    const colon = options.auth.indexOf(':');
    if (colon !== -1) secrets.push(options.auth.slice(colon + 1));
  }
  // Very short strings would blank out unrelated text; real credentials are never that short.
  return secrets.filter((secret) => secret.length >= 4);
}

/** A function that hides the request's credentials in text quoted from a response. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('<redacted>'), text);
}
