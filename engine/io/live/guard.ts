/**
 * What the live WebSocket lets in, and how it keeps a viewer from hurting the run. A browser sends
 * the page's Origin with every WebSocket handshake, and any page the user visits may try to open
 * one to localhost: without a check, a web page could watch (or flood) a private run. A handshake
 * is accepted when it has no Origin (not a browser: the check is against pages, not programs), an
 * Origin listed with `--allow-origin`, or the server's own origin: the Origin's host is the Host
 * the request was sent to, and that Host is an IP address or `localhost` (a domain name there
 * could be DNS rebinding: an attacker's name pointed at 127.0.0.1 is "same origin" with itself).
 *
 * Once in, a viewer may send little (it sends `{"type":"ready"}`): messages over
 * MAX_WS_MESSAGE_BYTES are refused by ws itself (`maxPayload`, close 1009), and more than
 * MAX_WS_MESSAGES_PER_SECOND in a second close its socket (1008). A malformed frame closes that
 * socket alone; the error handlers see to that nothing reaches the process.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { MAX_WS_CLIENTS, MAX_WS_MESSAGES_PER_SECOND } from '../limits.js';

/** `--allow-origin` values as origins (`scheme://host[:port]`); a message for one that is not. */
export function parseOrigins(values: readonly string[]): string[] | string {
  const out: string[] = [];
  for (const v of values) {
    let origin: string;
    try {
      origin = new URL(v).origin;
    } catch {
      return `--allow-origin: expected an origin such as http://viewer.example:8080, got '${v}'`;
    }
    if (origin === 'null') return `--allow-origin: expected an http or https origin, got '${v}'`;
    out.push(origin);
  }
  return out;
}

/** Why a handshake is refused (an HTTP status and a reason), or null to accept it. */
export function refuseHandshake(req: IncomingMessage, allowed: readonly string[], clients: number): { code: number; reason: string } | null {
  if (clients >= MAX_WS_CLIENTS) return { code: 503, reason: `at most ${MAX_WS_CLIENTS} viewers at once` };
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  if (allowed.includes(origin)) return null;
  const host = req.headers.host;
  if (host !== undefined) {
    let hostname: string;
    try {
      hostname = new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return { code: 403, reason: 'bad Host' };
    }
    const literal = isIP(hostname) !== 0 || hostname === 'localhost';
    if (literal && (origin === `http://${host}` || origin === `https://${host}`)) return null;
  }
  return { code: 403, reason: `origin ${origin} is not allowed (start the run with --allow-origin ${origin} to allow it)` };
}

/** Counts a socket's messages per second of wall time; `over()` once it sent too many. */
export class MessageRate {
  private windowStart = 0;
  private count = 0;

  constructor(
    private readonly now: () => number,
    private readonly perSecond = MAX_WS_MESSAGES_PER_SECOND,
  ) {}

  /** One more message; true when the socket went over the limit. */
  over(): boolean {
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.count = 0;
    }
    return ++this.count > this.perSecond;
  }
}
