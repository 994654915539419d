import { isIP } from 'node:net';
import type { ListenAddress } from './types.ts';

/** Loopback only: reaching the service from elsewhere needs an explicit choice. */
export const DEFAULT_LISTEN: Readonly<ListenAddress> = { host: '127.0.0.1', port: 8089 };

export type ListenResult = { ok: true; value: ListenAddress } | { ok: false; reason: string };

const PORT = /^[0-9]{1,5}$/;

/**
 * Parses `host:port`, with an IPv6 host in brackets (`[::1]:8089`). The host must be an
 * IP address or `localhost`: a name that resolves elsewhere could expose the service.
 */
export function parseListen(text: string): ListenResult {
  const split = splitHostPort(text);
  if (split === undefined) {
    return {
      ok: false,
      reason: 'must be "host:port", an IPv6 host in brackets as in "[::1]:8089"',
    };
  }

  const { host, port } = split;
  if (!PORT.test(port) || Number(port) > 65_535) {
    return { ok: false, reason: 'port must be a number from 0 to 65535' };
  }

  if (host !== 'localhost' && isIP(host) === 0) {
    return { ok: false, reason: 'host must be an IP address or localhost' };
  }

  // Every request through the service leaves with a bearer token attached, so an address
  // others can reach would hand the cloud store to anyone on the network.
  if (!isLoopbackAddress(host)) {
    return {
      ok: false,
      reason:
        'host must be a loopback address (127.0.0.1, ::1 or localhost): this version has no ' +
        'inbound authentication; run it beside Orthanc (same host, or a sidecar in the same pod)',
    };
  }

  return { ok: true, value: { host, port: Number(port) } };
}

function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function splitHostPort(text: string): { host: string; port: string } | undefined {
  if (text.startsWith('[')) {
    const close = text.indexOf(']:');
    if (close === -1) return undefined;

    const host = text.slice(1, close);
    return isIP(host) === 6 ? { host, port: text.slice(close + 2) } : undefined;
  }

  const colon = text.lastIndexOf(':');
  const host = text.slice(0, colon);
  // An unbracketed IPv6 address would make the port ambiguous.
  if (colon === -1 || host.includes(':')) return undefined;

  return { host, port: text.slice(colon + 1) };
}
