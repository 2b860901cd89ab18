import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from '../net/address.js';

/**
 * The HTTP layer's access rules (issue 6, "Security"), as pure functions so each rule is testable alone:
 * a bearer token on every API route but /api/health when one is configured, no cross-origin upgrades or
 * writes, and, on a loopback listener, no foreign Host names (a DNS-rebinding page cannot reach us).
 */

/** The websocket subprotocol every catbridge client offers; the server selects it. */
export const EVENTS_PROTOCOL = 'catbridge.v1';
/** A browser cannot set headers on a websocket: it may offer `catbridge.token.<base64url(token)>` instead. */
export const TOKEN_PROTOCOL_PREFIX = 'catbridge.token.';

/** Constant-time comparison of a presented token with the configured one. */
export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(token, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer …` header, if there is one. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (!value) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}

/** The token carried in a `Sec-WebSocket-Protocol` offer, if any. */
export function protocolToken(headers: IncomingHttpHeaders): string | undefined {
  const offered = headers['sec-websocket-protocol'];
  if (!offered) return undefined;
  for (const protocol of offered.split(',')) {
    const trimmed = protocol.trim();
    if (trimmed.startsWith(TOKEN_PROTOCOL_PREFIX)) {
      return Buffer.from(trimmed.slice(TOKEN_PROTOCOL_PREFIX.length), 'base64url').toString('utf8');
    }
  }
  return undefined;
}

/** The subprotocol form of a token, for clients (the dashboard does the same in the browser). */
export function tokenProtocol(token: string): string {
  return `${TOKEN_PROTOCOL_PREFIX}${Buffer.from(token, 'utf8').toString('base64url')}`;
}

/**
 * Whether a request comes from a page of another origin. Requests without an Origin (curl, WSJT-X
 * helpers, rigctl scripts) are not cross-origin; a browser always sends one on websocket upgrades and
 * on writes.
 */
export function isCrossOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return false;
  const host = headers.host;
  if (!host) return true;
  try {
    return new URL(origin).host.toLowerCase() !== host.toLowerCase();
  } catch {
    return true; // "null" (a sandboxed frame, a file: page) or garbage
  }
}

/**
 * On a loopback listener, the Host header must name a loopback host too. A page on evil.example whose
 * DNS name is rebound to 127.0.0.1 sends `Host: evil.example` and is refused (without a token the
 * loopback listener is all that protects the API).
 */
export function hostAllowed(headers: IncomingHttpHeaders): boolean {
  const host = headers.host;
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return isLoopbackHost(name);
}
